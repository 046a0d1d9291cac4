import Foundation
import NPETestSupport
import NPEData
import NPESimulators
import Testing

@testable import NPEDatasets

/// End-to-end runs of the built `npe-build-dataset` binary (it sits beside the test bundle in the build directory).
struct CommandLineTests {
    static var executable: URL {
        builtExecutable(named: "npe-build-dataset")
    }
    static var available: Bool { FileManager.default.isExecutableFile(atPath: executable.path) }

    /// Runs the binary; returns its exit status, stdout and stderr.
    private func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, out: String, err: String) {
        let result = try runProcess(Self.executable, arguments, in: directory)
        return (result.status, result.output, result.errors)
    }

    private func digest(_ url: URL) throws -> String { try TrainingDatasetReader(contentsOf: url).contentDigest }

    @Test
    func buildReportsASummaryAndRefusesExistingOutput() throws {
        try #require(Self.available, "npe-build-dataset is not built at \(Self.executable.path): run swift build --build-tests first")
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let arguments = [
            "--simulator", "linear-gaussian", "--rows", "3000", "--out", "datasets/lg", "--seed", "5",
            "--threads", "2", "--shard-rows", "700",
        ]
        let first = try run(arguments, in: root)
        #expect(first.status == 0, "\(first.err)")
        for label in [
            "rows: 3000", "failures: 0", "compression ratio", "time:", "shards: 5 computed, 0 reused",
            "content_sha256: ",
        ] {
            #expect(first.out.contains(label), "missing '\(label)' in \(first.out)")
        }
        // stderr is a pipe here, not a terminal: plain progress lines, no carriage returns.
        #expect(first.err.contains("simulating 3000/3000 rows"))
        #expect(!first.err.contains("\r"))
        let dataset = root.appendingPathComponent("datasets/lg/dataset.h5")
        let digest = try digest(dataset)
        #expect(first.out.contains(digest))

        let again = try run(arguments, in: root)
        #expect(again.status != 0)
        #expect(again.err.contains("datasets/lg: output already exists"))
        #expect(try self.digest(dataset) == digest)

        // One thread gives the same content.
        let single = try run(
            [
                "--simulator", "linear-gaussian", "--rows", "3000", "--out", "one", "--seed", "5",
                "--threads", "1", "--shard-rows", "700",
            ], in: root)
        #expect(single.status == 0)
        #expect(try self.digest(root.appendingPathComponent("one/dataset.h5")) == digest)
    }

    @Test
    func badInputsGetErrorsNamingFileAndField() throws {
        try #require(Self.available, "npe-build-dataset is not built at \(Self.executable.path): run swift build --build-tests first")
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try """
        parameters:
          - {name: theta_1, prior: {uniform: [0, 1]}}
          - {name: theta_2, prior: {uniform: [3, 1]}}
        """.write(to: root.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        try "{\"gaussianPerBin\": {\"sigma\": \"x\"}}".write(
            to: root.appendingPathComponent("noise.json"),
            atomically: true, encoding: .utf8)
        try Data().write(to: root.appendingPathComponent("afile"))
        let cases: [(String, [String], [String])] = [
            (
                "prior range", ["--simulator", "linear-gaussian", "--prior", "bad.yaml", "--rows", "10", "--out", "a"],
                ["bad.yaml", "theta_2", "prior.uniform"]
            ),
            (
                "missing prior file",
                ["--simulator", "linear-gaussian", "--prior", "nope.yaml", "--rows", "10", "--out", "b"],
                ["nope.yaml"]
            ),
            (
                "unknown simulator", ["--simulator", "taurex", "--rows", "10", "--out", "c"],
                ["unknown simulator 'taurex'"]
            ),
            ("zero rows", ["--simulator", "two-moons", "--rows", "0", "--out", "d"], ["--rows must be positive"]),
            (
                "noise model",
                ["--simulator", "two-moons", "--noise-model", "noise.json", "--rows", "10", "--out", "e"],
                ["noise.json", "sigma"]
            ),
            (
                "unwritable output", ["--simulator", "two-moons", "--rows", "10", "--out", "afile/x"],
                ["afile", "a file is in the way"]
            ),
            (
                "resume nothing", ["--simulator", "two-moons", "--rows", "10", "--out", "f", "--resume"],
                ["nothing to resume"]
            ),
            (
                "missing simulator input",
                ["--simulator", "two-moons", "--prior", "bad.yaml", "--rows", "10", "--out", "g"],
                ["bad.yaml"]
            ),
            (
                "npy import without --theta", ["import", "--from", "t.npy", "--prior", "bad.yaml", "--out", "h"],
                ["--theta T.npy --x X.npy"]
            ),
            (
                "simulate missing column",
                ["simulate", "--simulator", "two-moons", "--params", "bad.yaml", "--out", "o.csv"],
                ["bad.yaml"]
            ),
        ]
        for (label, arguments, needles) in cases {
            let result = try run(arguments, in: root)
            #expect(result.status != 0, "\(label)")
            for needle in needles { #expect(result.err.contains(needle), "\(label): '\(needle)' not in \(result.err)") }
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("a").path))
    }

    @Test
    func simulateWritesOneColumnPerOutputByName() throws {
        try #require(Self.available, "npe-build-dataset is not built at \(Self.executable.path): run swift build --build-tests first")
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        // Columns out of order plus an ignored extra column: inputs are matched by name.
        try "moon_radius,theta_2,note,theta_1,moon_angle\n0.1,0.3,7,-0.2,0.5\n0.11,-0.9,8,0.4,-1.0\n"
            .write(to: root.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
        let result = try run(["simulate", "--simulator", "two-moons", "--params", "p.csv", "--out", "s.csv"], in: root)
        #expect(result.status == 0, "\(result.err)")
        let lines = try String(contentsOf: root.appendingPathComponent("s.csv"), encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "theta_1,theta_2,moon_angle,moon_radius,x_0,x_1")
        #expect(lines.count == 3)
        let expected = try TwoMoonsProblem().simulate([-0.2, 0.3, 0.5, 0.1])
        let values = lines[1].split(separator: ",").compactMap { Double($0) }
        #expect(Array(values.suffix(2)) == expected)  // shortest round-trip printing is exact
    }

    @Test
    func importFromCSVThroughTheCommand() throws {
        try #require(Self.available, "npe-build-dataset is not built at \(Self.executable.path): run swift build --build-tests first")
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try "parameters:\n  - {name: p, unit: K, prior: {uniform: [0, 10]}}\n"
            .write(to: root.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        try "p,x_0,x_1\n1,0.5,0.25\n2,0.75,0.125\n".write(
            to: root.appendingPathComponent("pairs.csv"), atomically: true, encoding: .utf8)
        let result = try run(
            [
                "import", "--from", "pairs.csv", "--prior", "p.yaml", "--out", "datasets/imp",
                "--simulator-name", "petitRADTRANS",
            ], in: root)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("rows: 2"))
        let rows = try readAllRows(root.appendingPathComponent("datasets/imp/dataset.h5"))
        #expect(rows.theta == [1, 2] && rows.x == [0.5, 0.25, 0.75, 0.125])
        let bad = try run(["import", "--from", "pairs.csv", "--prior", "p.yaml", "--out", "datasets/imp"], in: root)
        #expect(bad.status != 0 && bad.err.contains("already exists"))
    }

    /// kill -9 in the middle of a build, then `--resume`: the result equals an uninterrupted run.
    @Test
    func killedBuildResumesToTheSameContent() throws {
        try #require(Self.available, "npe-build-dataset is not built at \(Self.executable.path): run swift build --build-tests first")
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let arguments = [
            "--simulator", "ariel-transmission", "--rows", "3000", "--seed", "11", "--threads", "2",
            "--shard-rows", "100",
        ]
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments + ["--out", "killed"]
        process.currentDirectoryURL = root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let store = DatasetShardStore(directory: root.appendingPathComponent("killed"))
        let deadline = Date().addingTimeInterval(60)
        while (0..<30).filter(store.hasShard).count < 3 && process.isRunning && Date() < deadline { usleep(5_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let before = (0..<30).filter(store.hasShard).count
        #expect(before >= 3 && before < 30)
        #expect(!FileManager.default.fileExists(atPath: store.datasetURL.path))

        let resumed = try run(arguments + ["--out", "killed", "--resume"], in: root)
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(resumed.out.contains("reused"))
        let straight = try run(arguments.map { $0 == "2" ? "1" : $0 } + ["--out", "straight"], in: root)
        #expect(straight.status == 0)
        #expect(try digest(store.datasetURL) == digest(root.appendingPathComponent("straight/dataset.h5")))
        // Bitwise, since failed rows hold NaN (which != NaN).
        let (a, b) = (
            try readAllRows(store.datasetURL), try readAllRows(root.appendingPathComponent("straight/dataset.h5"))
        )
        #expect(a.x.map(\.bitPattern) == b.x.map(\.bitPattern) && a.theta == b.theta && a.flags == b.flags)
    }

    static var mpirun: String? {
        ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `mpirun -np 2`: each rank writes its own shards, rank 0 merges; the content equals a one-process build.
    @Test(.enabled(if: available && mpirun != nil))
    func twoMPIRanksGiveTheSameContentAsOneProcess() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let arguments = ["--simulator", "two-moons", "--rows", "5000", "--seed", "9", "--shard-rows", "400"]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.mpirun!)
        process.arguments =
            ["--oversubscribe", "-np", "2", Self.executable.path] + arguments
            + ["--threads", "1", "--out", "mpi"]
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("shards: 13 computed, 0 reused"))
        let local = try run(arguments + ["--threads", "2", "--out", "local"], in: root)
        #expect(local.status == 0)
        #expect(
            try digest(root.appendingPathComponent("mpi/dataset.h5"))
                == digest(root.appendingPathComponent("local/dataset.h5")))
    }
}
