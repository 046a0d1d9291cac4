import Foundation
import NPETestSupport
@testable import NPERegistry
import Testing

/// End-to-end runs of the built `npe-registry` binary (it sits beside the test bundle in the build directory).
struct CommandLineTests {
    static var executable: URL {
        builtExecutable(named: "npe-registry")
    }

    /// Runs the binary; returns its exit status and combined output.
    private func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try runProcess(Self.executable, arguments, mergingErrors: true)
        return (result.status, result.output)
    }

    /// A registry with `m@1` (production), `m@2` (different metrics and architecture) and `other@1`.
    private func makeRegistry() throws -> URL {
        let root = try Fixtures.temporaryDirectory()
        let registry = ModelRegistry(root: root)
        try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights())
        var second = Fixtures.card(metric: 0.5)
        second.architecture = ["flow": "maf", "transforms": 5]
        try registry.publish(name: "m", card: second, weights: try Fixtures.weights(seed: 2))
        try registry.publish(name: "other", card: Fixtures.card(), weights: try Fixtures.weights())
        try registry.promote(try ModelVersionID(name: "m", version: 1), to: "production")
        return root
    }

    @Test
    func listShowDiffPromoteRemoveAndGC() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "npe-registry is not built at \(Self.executable.path): run swift build --build-tests first")
        let root = try makeRegistry()
        defer { Fixtures.cleanUp(root) }
        let registry = ["--registry", root.path]

        let list = try run(["list"] + registry)
        #expect(list.status == 0)
        #expect(list.output == """
            NAME   VERSIONS  LATEST  ALIASES
            m      2         2       production=1
            other  1         1

            """)
        let versions = try run(["list", "m", "--json"] + registry)
        let decoded = try JSONSerialization.jsonObject(with: Data(versions.output.utf8)) as? [[String: Any]]
        #expect(decoded?.map { $0["version"] as? Int } == [1, 2])
        #expect(decoded?.first?["aliases"] as? [String] == ["production"])

        let show = try run(["show", "m@production"] + registry)
        #expect(show.status == 0)
        #expect(show.output.contains("m@1 (production)"))
        #expect(show.output.contains("metrics.validationLoss"))

        let diff = try run(["diff", "m@1", "m@2", "--changed-only"] + registry)
        #expect(diff.output.contains("*  architecture  flow"))
        #expect(diff.output.contains("nsf") && diff.output.contains("maf"))
        #expect(!diff.output.contains("simulator.name"), "unchanged rows are hidden")

        #expect(try run(["promote", "m@2", "--alias", "production"] + registry).output == "m@production -> m@2\n")
        #expect(try ModelRegistry(root: root).resolve("m@production").version == 2)

        let refused = try run(["remove", "m@2"] + registry)
        #expect(refused.status != 0)
        #expect(refused.output.contains("m@2 is the target of alias(es) production"))
        #expect(try run(["remove", "m@production"] + registry).status != 0, "remove needs an explicit version")
        #expect(try run(["remove", "m@2", "--force"] + registry).output == "removed m@2 and alias(es) production\n")

        #expect(try run(["gc"] + registry).output == "nothing to collect\n")
        #expect(try run(["verify"] + registry).status == 0)
    }

    @Test
    func verifyFailsOnTamperingAndErrorsNameThePath() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "npe-registry is not built at \(Self.executable.path): run swift build --build-tests first")
        let root = try makeRegistry()
        defer { Fixtures.cleanUp(root) }
        let weights = root.path + "/other/1/weights.safetensors"
        try FileSystem.setMode(root.path + "/other/1", 0o755)
        try FileSystem.setMode(weights, 0o644)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: weights))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()

        let verify = try run(["verify", "--registry", root.path])
        #expect(verify.status == 1)
        // Columns are padded to the widest cell; compare the words of each row.
        let rows = verify.output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first { $0.first == "other@1" }.map { $0[1] == "FAILED" && $0[2] == weights } == true, "\(verify.output)")
        #expect(rows.first { $0.first == "m@1" } == ["m@1", "ok"])
        #expect(rows.first { $0.first == "other" } == ["other", "(index.json)", "ok"])
        let json = try run(["verify", "other@1", "--json", "--registry", root.path])
        #expect(json.output.contains("\"intact\" : false"))

        let missing = try run(["show", "absent", "--registry", root.path])
        #expect(missing.status != 0)
        #expect(missing.output.contains(root.path + "/absent"))
        let hostile = try run(["show", "../etc", "--registry", root.path])
        #expect(hostile.status != 0 && hostile.output.contains("path separator"))
    }
}
