import Foundation
import NPEInference
import NPERegistry
import NPESimulators
import NPESupport
import NPETestSupport
import Testing

/// A registry with a deliberately under-trained amortised model of the built-in linear-Gaussian problem (D 5,
/// M 10), built and trained by the commands themselves (2,000 rows, 4 epochs: its posteriors are too wide, as
/// on a flagged target), and a CSV catalogue of three noisy observations with their σ = 0.1.
struct RefineCommandFixture {
    let problem = LinearGaussianProblem.standard()
    let directory: URL
    var registry: URL { directory.appendingPathComponent("registry") }
    var catalogue: URL { directory.appendingPathComponent("catalogue.csv") }

    init() throws {
        directory = try makeTemporaryDirectory("npe-refine")
        let build = try runProcess(builtExecutable(named: "npe-build-dataset"),
                                   ["--simulator", "linear-gaussian", "--rows", "2000", "--out", directory.appendingPathComponent("lg").path,
                                    "--seed", "3", "--threads", "2"])
        try #require(build.status == 0, "\(build.errors)")
        let config = directory.appendingPathComponent("small.yaml")
        try """
            flow: {kind: maf, transforms: 3, hidden_widths: [32, 32]}
            embedding: {kind: mlp, hidden_widths: [32], output: 16}
            training: {batch_size: 128, learning_rate: 3e-3, epochs: 4, patience: 50}
            """.write(to: config, atomically: true, encoding: .utf8)
        let train = try runProcess(builtExecutable(named: "npe-train"),
                                   ["--dataset", directory.appendingPathComponent("lg").path, "--registry", registry.path, "--name", "lg",
                                    "--config", config.path, "--checkpoint-dir", directory.appendingPathComponent("checkpoints").path])
        try #require(train.status == 0 && train.output.contains("published lg@1"), "\(train.errors)")

        // Three observations: θ ~ N(0, 0.5²) per parameter, x = Aθ + b + 0.1 ε.
        let stream = RandomStream(seed: 77)
        var lines = ["id," + (0..<10).map { "x_\($0)" }.joined(separator: ",") + "," + (0..<10).map { "sigma_\($0)" }.joined(separator: ",")]
        for t in 0..<3 {
            let clean = try problem.simulate((0..<5).map { 0.5 * stream.child(1).normalDouble(UInt64(5 * t + $0)) })
            let x = (0..<10).map { clean[$0] + 0.1 * stream.child(2).normalDouble(UInt64(10 * t + $0)) }
            lines.append("planet-\(t)," + x.map { String($0) }.joined(separator: ",") + String(repeating: ",0.1", count: 10))
        }
        try (lines.joined(separator: "\n") + "\n").write(to: catalogue, atomically: true, encoding: .utf8)
    }

    /// A copy of the registry, so two runs publish into registries of their own.
    func registryCopy(_ name: String) throws -> URL {
        let copy = directory.appendingPathComponent(name)
        try FileManager.default.copyItem(at: registry, to: copy)
        return copy
    }

    func arguments(registry: URL, out: URL) -> [String] {
        ["--registry", registry.path, "--model", "lg@1", "--catalogue", catalogue.path, "--targets", "planet-0,planet-2",
         "--method", "tsnpe", "--rounds", "3", "--simulations-per-round", "1000", "--epochs", "40", "--samples", "1000",
         "--threads", "2", "--seed", "4", "--out", out.path]
    }
}

@Suite(.serialized) struct RefineCommandTests {
    /// Two targets refined: the posterior file has every target (npe-infer's format), the refined ones sampled
    /// from models published with their lineage. Importance-weighted means within 0.6 exact sd: with ESS ≥ 100 the
    /// weighted mean's error is ≤ 0.1 sd, so this is a 6σ bound that a refined model of the wrong target misses.
    @Test func npeRefinePublishesRefinedModelsAndWritesThePosteriorFile() throws {
        let fixture = try RefineCommandFixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let out = fixture.directory.appendingPathComponent("refined.h5")
        let result = try runProcess(builtExecutable(named: "npe-refine"), fixture.arguments(registry: fixture.registry, out: out))
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.contains("planet-0 round 1 [tsnpe, truncated-prior]"), "\(result.errors)")
        let file = try PosteriorFile.read(from: out)
        #expect(file.ids == ["planet-0", "planet-1", "planet-2"])
        let catalogue = try Catalogue(csv: fixture.catalogue, contextNames: [])
        for t in [0, 2] {
            let ess = try #require(file.effectiveSampleSize?[t])
            #expect(ess >= 100, "target \(t): ESS \(ess)")
            let exact = try fixture.problem.posterior(given: Array(Catalogue.row(catalogue.x, t, width: 10)))
            for j in 0..<5 {
                let mean = file.summary[(t * 5 + j) * 7]
                #expect(abs(mean - exact.mean[j]) < 0.6 * exact.standardDeviations[j], "target \(t) θ\(j + 1): \(mean) vs \(exact.mean[j])")
            }
        }
        let registry = ModelRegistry(root: fixture.registry)
        let refined = try registry.load("lg-refined-planet-2@1")
        guard case let .object(configuration) = refined.card.training.configuration,
              case let .object(lineage)? = configuration["refinement"] else {
            Issue.record("no refinement lineage in \(refined.card.training.configuration)")
            return
        }
        #expect(lineage["parent"] == .string("lg@1") && lineage["target"] == .string("planet-2") && lineage["method"] == .string("tsnpe"))
        #expect(lineage["rounds"] == .number(3) && lineage["simulations"] == .number(3000))
        #expect(FileManager.default.fileExists(atPath: out.path + ".rounds.json"))
    }

    /// kill -9 at some point of a run, then --resume: the same posterior file as a run never killed.
    @Test func killNineThenResumeGivesTheSameOutput() throws {
        let fixture = try RefineCommandFixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let straightOut = fixture.directory.appendingPathComponent("straight.h5")
        let straight = try runProcess(builtExecutable(named: "npe-refine"),
                                      fixture.arguments(registry: try fixture.registryCopy("reg-a"), out: straightOut))
        #expect(straight.status == 0, "\(straight.errors)")

        let registry = try fixture.registryCopy("reg-b"), out = fixture.directory.appendingPathComponent("killed.h5")
        let process = Process()
        process.executableURL = builtExecutable(named: "npe-refine")
        process.arguments = fixture.arguments(registry: registry, out: out)
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Killed as soon as the first round of the first target is complete: mid-run, whatever the machine's speed.
        let firstRound = out.path + ".refine/target-00000/round-000/record.json"
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: firstRound) && process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(process.isRunning, "the run ended before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let resumed = try runProcess(builtExecutable(named: "npe-refine"), fixture.arguments(registry: registry, out: out) + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.errors)")
        let a = try PosteriorFile.read(from: straightOut), b = try PosteriorFile.read(from: out)
        #expect(a.samples == b.samples)
        #expect(a.logWeights == b.logWeights)
        #expect(a.summary == b.summary && a.flags == b.flags)
    }
}
