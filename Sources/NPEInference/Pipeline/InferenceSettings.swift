import Foundation

/// How `npe-infer` samples: what changes the results (samples per target, seed, importance sampling, thresholds)
/// and what does not (batch size, threads).
public struct InferenceSettings: Sendable, Equatable {
    /// The default low-efficiency threshold, 1%: below it the importance-weighted posterior rests on fewer than
    /// S/100 effective samples (100 at S = 10,000, so its 2.5% tail on about 2), and q misses most of the exact
    /// posterior's mass. Dax et al. (2023, arXiv:2210.05686) report efficiencies of a few percent and up for
    /// well-trained models on real events; a value below 1% marks a target the model does not describe.
    public static let defaultLowEfficiencyThreshold = 0.01

    /// The default minimum effective sample size, 10: below it a weighted mean's Monte Carlo error exceeds about
    /// a third of the posterior standard deviation (1/√ESS > 0.32), whatever S is. The efficiency rule alone
    /// cannot fire for small S (ESS ≥ 1 always, so ESS/S ≥ 1/S, which is ≥ 1% for every S ≤ 100); the ESS rule
    /// covers that range, and the efficiency rule the large-S one (at S = 10,000, 1% is 100 effective samples).
    public static let defaultMinimumEffectiveSampleSize = 10.0

    /// S, samples per target.
    public var samplesPerTarget: Int
    /// The run seed; target t draws from the stream keyed on (seed, t).
    public var seed: UInt64
    /// Whether to weigh the samples against the exact likelihood.
    public var importanceSampling: Bool
    /// Targets per shard (results do not depend on it).
    public var batchTargets: Int
    /// Threads for sampling and simulations (results do not depend on it).
    public var threads: Int
    /// Flag ``TargetHealth/lowImportanceEfficiency`` below this ESS/S.
    public var lowEfficiencyThreshold: Double
    /// Also flag ``TargetHealth/lowImportanceEfficiency`` below this ESS (see
    /// ``defaultMinimumEffectiveSampleSize``): a target is flagged when either rule fails.
    public var minimumEffectiveSampleSize: Double
    /// Flag ``TargetHealth/outOfTrainingRange`` above this per-bin |z|.
    public var zThreshold: Double
    /// N, posterior draws simulated per target for the posterior predictive check (``PosteriorPredictiveCheck``);
    /// 0 turns the check off.
    public var predictiveDraws: Int
    /// R, noise replicates per draw.
    public var predictiveReplicates: Int
    /// Flag ``TargetHealth/modelMisfit`` when the predictive p-value is below this.
    public var misfitThreshold: Double

    public init(samplesPerTarget: Int, seed: UInt64 = 0, importanceSampling: Bool = false, batchTargets: Int = 64,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                lowEfficiencyThreshold: Double = defaultLowEfficiencyThreshold,
                minimumEffectiveSampleSize: Double = defaultMinimumEffectiveSampleSize,
                zThreshold: Double = TargetScreening.defaultZThreshold, predictiveDraws: Int = 0,
                predictiveReplicates: Int = PosteriorPredictiveCheck.defaultReplicates,
                misfitThreshold: Double = PosteriorPredictiveCheck.defaultMisfitThreshold) {
        self.minimumEffectiveSampleSize = minimumEffectiveSampleSize
        self.samplesPerTarget = samplesPerTarget
        self.seed = seed
        self.importanceSampling = importanceSampling
        self.batchTargets = batchTargets
        self.threads = threads
        self.lowEfficiencyThreshold = lowEfficiencyThreshold
        self.zThreshold = zThreshold
        self.predictiveDraws = predictiveDraws
        self.predictiveReplicates = predictiveReplicates
        self.misfitThreshold = misfitThreshold
    }

    /// Whether the posterior predictive check runs.
    public var predictiveCheck: Bool { predictiveDraws > 0 }

    func validate() throws {
        guard samplesPerTarget >= 2 else { throw InferenceError.invalidSetting(name: "samples", reason: "need at least 2, got \(samplesPerTarget)") }
        guard batchTargets >= 1 else { throw InferenceError.invalidSetting(name: "batch-targets", reason: "must be positive, got \(batchTargets)") }
        guard threads >= 1 else { throw InferenceError.invalidSetting(name: "threads", reason: "must be positive, got \(threads)") }
        guard zThreshold > 0 else { throw InferenceError.invalidSetting(name: "z threshold", reason: "must be positive") }
        guard (0...1).contains(lowEfficiencyThreshold) else {
            throw InferenceError.invalidSetting(name: "low-efficiency threshold", reason: "must lie in [0, 1]")
        }
        guard predictiveDraws >= 0 else {
            throw InferenceError.invalidSetting(name: "predictive-draws", reason: "must be 0 (off) or positive, got \(predictiveDraws)")
        }
        // Without weights the draws are the first N samples; with weights they are resampled from all S.
        guard importanceSampling || predictiveDraws <= samplesPerTarget else {
            throw InferenceError.invalidSetting(
                name: "predictive-draws", reason: "\(predictiveDraws) draws from \(samplesPerTarget) samples: at most --samples without importance sampling")
        }
        guard predictiveReplicates >= 1 else {
            throw InferenceError.invalidSetting(name: "predictive-replicates", reason: "must be positive, got \(predictiveReplicates)")
        }
        guard misfitThreshold >= 0 && misfitThreshold < 1 else {
            throw InferenceError.invalidSetting(name: "misfit-p-value", reason: "must lie in [0, 1), got \(misfitThreshold)")
        }
        guard minimumEffectiveSampleSize >= 0, minimumEffectiveSampleSize.isFinite else {
            throw InferenceError.invalidSetting(name: "min-ess", reason: "must be a finite number ≥ 0, got \(minimumEffectiveSampleSize)")
        }
    }
}
