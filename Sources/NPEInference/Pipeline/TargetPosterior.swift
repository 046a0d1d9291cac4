import Foundation

/// The posterior of one target as stored in the file: samples, log q, and with importance sampling the normalised
/// log weights, ESS, efficiency and log evidence; the summary; the flags and their reasons.
public struct TargetPosterior: Sendable, Equatable {
    /// `[S·D]` θ samples (NaN for a skipped target).
    public var samples: [Float]
    /// `[S]` log q(θ | x).
    public var logProposal: [Float]
    /// `[S]` normalised log weights (logsumexp 0), with importance sampling.
    public var logWeights: [Float]?
    /// Kish ESS, ESS/S and log Ẑ; NaN without importance sampling or for a skipped target.
    public var effectiveSampleSize: Double
    public var efficiency: Double
    public var logEvidence: Double
    /// `[D·7]`: per parameter the statistics of ``PosteriorFileFormat/summaryStatistics``.
    public var summary: [Double]
    public var flags: TargetHealth
    /// One line per raised flag.
    public var reasons: [String]
    /// The posterior predictive check, when it ran.
    public var predictive: PosteriorPredictiveCheck?
    /// Wall seconds spent drawing the samples and weighing them (not stored in the file; for the cost report).
    public var samplingSeconds = 0.0
    public var importanceSeconds = 0.0
    public var predictiveSeconds = 0.0

    /// A target that was not sampled (invalid input): NaN everywhere, weights NaN when importance sampling is on.
    static func skipped(samples s: Int, parameters d: Int, importanceSampling: Bool, flags: TargetHealth,
                        reasons: [String]) -> TargetPosterior {
        TargetPosterior(
            samples: [Float](repeating: .nan, count: s * d), logProposal: [Float](repeating: .nan, count: s),
            logWeights: importanceSampling ? [Float](repeating: .nan, count: s) : nil,
            effectiveSampleSize: .nan, efficiency: .nan, logEvidence: .nan,
            summary: [Double](repeating: .nan, count: d * PosteriorFileFormat.summaryStatistics.count),
            flags: flags, reasons: reasons)
    }

    /// The 7 statistics of each of D parameters, from `[S·D]` samples and optional normalised weights; the D
    /// columns run on `threads` threads.
    static func summarize(samples: [Float], parameters d: Int, weights: [Double]?, threads: Int) -> [Double] {
        let s = samples.count / max(d, 1)
        var out = [Double](repeating: .nan, count: d * 7)
        out.withUnsafeMutableBufferPointer { buffer in
            let target = buffer
            DispatchQueue.concurrentPerform(iterations: max(1, min(threads, d))) { worker in
                for j in stride(from: worker, to: d, by: max(1, min(threads, d))) {
                    let column = (0..<s).map { Double(samples[$0 * d + j]) }
                    let summary = PosteriorSummary(samples: column, weights: weights)
                    let values = [summary.mean, summary.standardDeviation, summary.median, summary.percentile2_5,
                                  summary.percentile16, summary.percentile84, summary.percentile97_5]
                    for (k, value) in values.enumerated() { target[j * 7 + k] = value }
                }
            }
        }
        return out
    }
}
