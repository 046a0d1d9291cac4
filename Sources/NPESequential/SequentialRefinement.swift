import Foundation
import NPEData
import NPEFlows
import NPEInference
import NPESimulators
import NPETensor
import NPETraining

/// Sequential rounds for one target: propose θ, simulate, weigh, train, repeat (``SequentialMethod``).
///
/// Round r:
/// 1. The proposal: the prior (round 0 from scratch), an outside round-0 proposal (``initialProposal``, such as
///    the amortised model), the current q(θ|xₒ) (APT, SNPE-IS) or the prior truncated to q's HPD region (TSNPE).
///    Draws of q outside the prior are redrawn and counted.
/// 2. N simulations over threads (``RoundSimulation``), stored in the round's HDF5 file with failures flagged.
/// 3. With a likelihood (σ known): the log weights log p(xₒ|θ) + log π(θ) − log p̃(θ) of all N draws, their Kish
///    ESS and efficiency. SNPE-IS stops when the ESS reaches the minimum, and reverts a round whose ESS fell.
/// 4. Training on all rounds' valid rows (maximum likelihood, or the atomic loss for APT), continuing from the
///    current weights; noise is drawn afresh each epoch from the target's σ, as the amortised training did.
/// 5. The record: ESS, the KS change of q, the fraction outside the prior, invalid simulations, seconds.
///
/// Everything a round produces is on disk before its record (``RoundStore``), and every draw is keyed on
/// (seed, target index, round, row), so a run killed at any point and resumed gives the same files and model.
public final class SequentialRefinement {
    /// Where the estimator comes from.
    public enum Start {
        /// A new estimator of this architecture, standardised on round 0's simulations (weights seeded by `seed`).
        case fresh(EstimatorArchitecture, seed: UInt64)
        /// An existing estimator (the amortised model), refined in place; its q(θ|xₒ) is round 0's proposal.
        case model(NeuralPosteriorEstimator, reference: String)
    }

    public let problem: RefinementProblem
    public let target: RefinementTarget
    public let settings: SequentialSettings
    public let start: Start
    /// Keys every draw of this target, so targets of a catalogue are independent.
    public let targetIndex: Int
    /// Round 0's proposal when it is neither the prior nor the starting model: a test's deliberately wrong q.
    public var initialProposal: (any PosteriorDensity)?
    /// Called after each round (console logging).
    public var onRound: ((RoundRecord) -> Void)?
    /// Polled between rounds and training steps; a stopped run resumes where it stopped.
    public var shouldStop: () -> Bool = { false }

    let store: RoundStore

    public init(problem: RefinementProblem, target: RefinementTarget, settings: SequentialSettings, start: Start,
                directory: URL, targetIndex: Int = 0) {
        self.problem = problem
        self.target = target
        self.settings = settings
        self.start = start
        self.targetIndex = targetIndex
        store = RoundStore(directory: directory)
    }

    /// Draws of a round weighed against the exact posterior.
    public struct WeightedDraws: Sendable, Equatable {
        /// `[N, K]` (failed simulations have weight 0).
        public var theta: [Double]
        public var logWeights: [Double]
        public var effectiveSampleSize: Double
        public var round: Int
    }

    /// What a refinement produced.
    public struct Result {
        /// The refined estimator (for SNPE-IS, the one whose draws are ``weightedDraws``); nil only when SNPE-IS
        /// stopped in round 0 on an outside proposal, before anything trained.
        public var estimator: NeuralPosteriorEstimator?
        public var records: [RoundRecord]
        /// Simulations run over all rounds.
        public var simulations: Int
        /// SNPE-IS: the weighted draws of the best round (the posterior); nil for the other methods.
        public var weightedDraws: WeightedDraws?
        /// SNPE-IS: whether the minimum ESS was reached, and the round reverted because its ESS fell.
        public var reachedMinimumEffectiveSampleSize: Bool
        public var revertedRound: Int?
        /// The run was asked to stop before its last round; resume to finish.
        public var interrupted: Bool
    }

    /// Runs the rounds; with `resume`, completed rounds are read back instead of rerun.
    ///
    /// - Throws: ``SequentialError`` naming the target and round (zero budget, truncation without prior mass, a
    ///   round whose simulations all failed, a run directory of another run).
    public func run(resume: Bool = false) throws -> Result {
        try settings.validate()
        _ = try store.open(identity, resume: resume)
        var state = RunState(estimator: nil)
        if case let .model(estimator, _) = start { state.estimator = estimator }
        var interrupted = false
        for r in 0..<settings.rounds {
            if resume, FileManager.default.fileExists(atPath: store.record(r).path) {
                try reload(round: r, into: &state)
            } else {
                if shouldStop() { interrupted = true; break }
                try runRound(r, state: &state)
                if state.interrupted { interrupted = true; break }
            }
            onRound?(state.records[r])
            if state.finished { break }
        }
        return Result(estimator: state.estimator, records: state.records, simulations: state.records.reduce(0) { $0 + $1.simulations },
                      weightedDraws: settings.method == .snpeIS ? state.best?.draws : nil,
                      reachedMinimumEffectiveSampleSize: state.reachedMinimum, revertedRound: state.revertedRound,
                      interrupted: interrupted)
    }

    var identity: RoundStore.RunIdentity {
        let startDescription: String
        switch start {
        case let .fresh(architecture, seed):
            let json = (try? JSONEncoder.iso.encode(architecture)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            startDescription = "fresh:seed=\(seed):\(json)"
        case let .model(_, reference): startDescription = "model:\(reference)"
        }
        let problemDescription = "\(problem.simulator.name)@\(problem.simulator.version):K=\(problem.thetaCount):"
            + ((try? problem.prior.jsonString()) ?? problem.prior.source)
        return RoundStore.RunIdentity(target: target.id, settings: settings, problem: problemDescription,
                                      start: startDescription + (initialProposal == nil ? "" : ":initial-proposal"), created: Date())
    }

    /// What the rounds carry from one to the next.
    struct RunState {
        var estimator: NeuralPosteriorEstimator?
        var records: [RoundRecord] = []
        /// Each complete round's rows (θ K columns, x, context, flags), read back from its file.
        var rounds: [TrainingRows] = []
        /// Whether each round's proposal was the prior (maximum likelihood is exact on such rows).
        var fromPrior: [Bool] = []
        /// SNPE-IS: the best round so far, its draws and the weights that proposed them.
        var best: (draws: WeightedDraws, parameters: [String: Tensor]?)?
        var reachedMinimum = false
        var revertedRound: Int?
        var finished = false
        var interrupted = false
    }

    /// Seeds of round r: proposal draws, simulation, training, comparison.
    func seed(round r: Int, purpose: UInt64) -> UInt64 {
        var h = settings.seed &* 0x9E37_79B9_7F4A_7C15
        for part in [UInt64(targetIndex), UInt64(r), purpose] { h = (h ^ part) &* 0xBF58_476D_1CE4_E5B9; h ^= h >> 31 }
        return h
    }
}
