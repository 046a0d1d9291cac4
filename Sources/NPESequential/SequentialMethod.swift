import NPETraining

/// Which sequential neural posterior estimation scheme refines a target.
///
/// - ``tsnpe``: truncated sequential NPE. Round r draws θ from the prior restricted to the highest-density region of
///   the current posterior q(θ|xₒ) (Deistler, Gonçalves & Macke 2022, "Truncated proposals for scalable and
///   hassle-free simulation-based inference", NeurIPS, arXiv:2210.04815). Inside the region the proposal is
///   proportional to the prior, so plain maximum likelihood on all rounds stays correct there.
/// - ``apt``: automatic posterior transformation, SNPE-C (Greenberg, Nonnenmacher & Macke 2019, ICML,
///   arXiv:1905.07488). Round r draws θ from q itself; the atomic loss (``AtomicProposalLoss``) corrects for the
///   proposal whatever it was, so all rounds' data train together.
/// - ``snpeIS``: SNPE with importance sampling, as nbi runs it. Round r draws θ from q, weighs every draw against
///   the exact likelihood, w = p(xₒ|θ) π(θ) / q(θ|xₒ), and stops once the Kish effective sample size of those
///   weights reaches ``SequentialSettings/minimumEffectiveSampleSize``. The weighted draws are the posterior.
public enum SequentialMethod: String, Sendable, Codable, CaseIterable {
    case tsnpe
    case apt
    case snpeIS = "snpe-is"
}

/// Everything that shapes a refinement run, as one typed value (recorded in the run's identity, so `--resume`
/// cannot continue a run under other settings).
public struct SequentialSettings: Sendable, Codable, Equatable {
    public var method: SequentialMethod = .tsnpe
    /// K, the most rounds (SNPE-IS may stop earlier).
    public var rounds: Int = 5
    /// N, simulations per round (FlopPITy's default: 2,048).
    public var simulationsPerRound: Int = 2048
    /// SNPE-IS stops when the Kish ESS of a round's weights reaches this (computed on all N draws of the round,
    /// never on a pilot batch: a pilot overestimates the efficiency 2-3×, dingo#265).
    public var minimumEffectiveSampleSize: Double = 200
    /// Atoms per row of the APT loss, the row's own θ included (sbi's default: 10).
    public var atoms: Int = 10
    /// TSNPE's threshold is this quantile of log q over ``truncationSamples`` posterior draws (sbi: 1e-4).
    public var truncationQuantile: Double = 1e-4
    /// Posterior draws that estimate the threshold. sbi uses 10⁶; 10⁵ keeps the 1e-4 quantile at the 10th
    /// smallest value (a stable order statistic) for a tenth of the flow evaluations.
    public var truncationSamples: Int = 100_000
    /// Rejection from the prior gives up after this many seconds or ``truncationMaximumPriorDraws`` draws,
    /// whichever comes first, and the target is reported instead of hanging.
    public var truncationTimeLimit: Double = 300
    public var truncationMaximumPriorDraws: Int = 50_000_000
    /// Posterior draws compared between consecutive rounds (marginal KS distance).
    public var changeSamples: Int = 2000
    /// Simulation threads.
    public var threads: Int = 1
    /// Rows per simulator call (an out-of-process simulator pays its start-up once per call).
    public var simulationBatchRows: Int = 256
    /// Every random draw of the run derives from this seed, the target's index and the round.
    public var seed: UInt64 = 1
    /// The optimiser settings of each round's training (its seed is offset per round).
    public var training: TrainingOptions = SequentialSettings.defaultTraining

    public init() {}

    /// sbi's NPE-C defaults where they apply: batch 200, learning rate 5e-4, patience 20, clip norm 5, 10%
    /// validation; at most 200 epochs per round.
    public static var defaultTraining: TrainingOptions {
        var options = TrainingOptions()
        options.epochs = 200
        options.batchSize = 200
        options.learningRate = 5e-4
        options.patience = 20
        options.gradientClipNorm = 5
        options.validationFraction = 0.1
        options.outlierLimit = nil
        options.shuffleBufferChunks = 64
        return options
    }

    /// Checks the budget and the method's knobs; a zero budget is an error, not an empty result.
    public func validate() throws {
        guard rounds > 0 else { throw SequentialError.zeroBudget("rounds is \(rounds); need at least 1") }
        guard simulationsPerRound > 0 else {
            throw SequentialError.zeroBudget("simulations per round is \(simulationsPerRound); need at least 1")
        }
        guard atoms >= 2 else { throw SequentialError.invalidSetting("atoms is \(atoms); the atomic loss needs at least 2") }
        guard truncationQuantile > 0, truncationQuantile < 1 else {
            throw SequentialError.invalidSetting("truncation quantile \(truncationQuantile) must lie in (0, 1)")
        }
        guard truncationSamples >= 10 else { throw SequentialError.invalidSetting("truncation samples \(truncationSamples) < 10") }
        guard minimumEffectiveSampleSize > 0 else {
            throw SequentialError.invalidSetting("minimum ESS \(minimumEffectiveSampleSize) must be positive")
        }
        guard threads >= 1, simulationBatchRows >= 1 else { throw SequentialError.invalidSetting("threads and batch rows must be ≥ 1") }
        guard training.epochs >= 1, training.batchSize >= 2 else {
            throw SequentialError.invalidSetting("each round needs ≥ 1 epoch and a batch of ≥ 2 rows")
        }
    }
}
