import Foundation
import NPEFlows
import NPEModels
import NPESequential
import NPESimulators
import NPESupport
import NPETransmission

/// `sequential`: issue 14's figures for `npe-refine` on the built-in ARIEL model.
///
/// - `forward_model_ms`: the forward suite's one measurement (`forwardModelFigure`), one spectrum on one core;
/// - `simulations_per_s`: one round of 4,096 rows over `THREADS` threads (default 2), as ``RoundSimulation``
///   runs it (proposal table, batch calls, joined in row order);
/// - `refine_s_per_target`: one mock target (a prior draw, σ = 50 ppm per bin) refined from scratch by TSNPE,
///   `REFINE_ROUNDS` (2) × `REFINE_SIMULATIONS` (1,024) with at most 30 epochs per round and a small coupling
///   NSF; the figure to compare between builds, not a production setting.
enum SequentialSuite {
    static func run() throws {
        let simulator = try ArielTransmissionSimulator()
        let prior = try Prior.arielADC2023()
        let problem = try RefinementProblem(prior: prior, simulator: simulator)
        let k = problem.thetaCount
        func table(rows: Int, context: [Double]) -> ProposalTable {
            var theta = [Double](repeating: 0, count: rows * k)
            theta.withUnsafeMutableBufferPointer { problem.thetaPrior.draw(rows: 0 ..< rows, seed: 1, into: $0) }
            return ProposalTable(prior: prior, theta: theta, logProposal: [Double](repeating: 0, count: rows), thetaCount: k,
                                 context: context, kind: "bench")
        }
        let context = [1.0, 1.0]  // planet_mass (M_J), star_radius (R_sun)
        try forwardModelFigure(suite: "sequential").print()

        let threads = benchmarkThreads
        let round = table(rows: 4096, context: context)
        var start = Date()
        let output = try RoundSimulation.run(round, problem: problem, seed: 1, threads: threads, batchRows: 256)
        let seconds = Date().timeIntervalSince(start)
        Figure(suite: "sequential", name: "simulations_per_s", value: 4096 / seconds, unit: "simulations/s",
               extra: ["threads": threads, "rows": 4096, "failed": output.failures]).print()

        let environment = ProcessInfo.processInfo.environment
        var settings = SequentialSettings()
        settings.rounds = Int(environment["REFINE_ROUNDS"] ?? "") ?? 2
        settings.simulationsPerRound = Int(environment["REFINE_SIMULATIONS"] ?? "") ?? 1024
        settings.threads = threads
        settings.training.epochs = 30
        settings.truncationSamples = 20_000
        let truth = table(rows: 1, context: context)
        let clean = try RoundSimulation.run(truth, problem: problem, seed: 2, threads: 1, batchRows: 1).rows.x.map(Double.init)
        let sigma = [Double](repeating: 5e-5, count: clean.count)
        let noise = RandomStream(seed: 3)
        let target = try RefinementTarget(id: "bench", x: clean.indices.map { clean[$0] + sigma[$0] * noise.normalDouble(UInt64($0)) },
                                          sigma: sigma, context: context, binCount: clean.count, contextCount: 2)
        let architecture = EstimatorArchitecture(
            thetaSupports: PriorSupportMaps.thetaSupports(of: prior), xCount: clean.count,
            contextTransforms: PriorSupportMaps.contextTransforms(of: prior),
            embedding: EmbeddingArchitecture(kind: .mlp, hiddenWidths: [64], outputCount: 16), flowKind: .nsfc,
            transforms: 3, hiddenWidths: [32, 32])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npe-bench-refine-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        start = Date()
        let result = try SequentialRefinement(problem: problem, target: target, settings: settings, start: .fresh(architecture, seed: 1),
                                              directory: directory).run()
        Figure(suite: "sequential", name: "refine_s_per_target", value: Date().timeIntervalSince(start), unit: "s",
               extra: ["threads": threads, "rounds": settings.rounds, "simulations_per_round": settings.simulationsPerRound,
                       "method": settings.method.rawValue, "last_round_ess": result.records.last?.effectiveSampleSize ?? -1]).print()
    }
}
