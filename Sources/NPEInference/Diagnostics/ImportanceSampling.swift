import Foundation

/// Self-normalised importance sampling of flow samples against the exact posterior (nbi's idea; Dax et al.
/// 2023, "Neural importance sampling for rapid and reliable gravitational-wave inference", arXiv:2210.05686).
///
/// For samples θₛ ~ q(θ|x), the unnormalised log weights are log wₛ = log p(x|θₛ) + log p(θₛ) − log q(θₛ|x). Then
/// - the normalised weights are w̄ₛ = wₛ / Σw;
/// - the effective sample size is ESS = (Σw)² / Σw² (Kish 1965), between 1 and S;
/// - the sampling efficiency is ESS / S: 1 when q equals the posterior, small when q is wrong or x is out of
///   distribution, which makes it the per-target trust signal;
/// - the evidence estimate is Ẑ = (1/S) Σ wₛ, unbiased for p(x) because q covers the prior's support.
public struct ImportanceSamplingResult: Sendable, Equatable {
    /// Normalised weights, summing to 1 (all zero when every weight vanished).
    public var weights: [Double]
    public var effectiveSampleSize: Double
    public var efficiency: Double
    /// log Ẑ.
    public var logEvidence: Double
    /// The standard error of log Ẑ by the delta method, √(Var(w)/S)/Ẑ.
    public var logEvidenceStandardError: Double
}

public enum ImportanceSampling {
    /// Weighs samples given their log-likelihoods, log prior densities and log proposal densities (all length S).
    /// A sample outside the prior (log prior −∞) gets weight 0.
    public static func weigh(logLikelihood: [Double], logPrior: [Double], logProposal: [Double]) -> ImportanceSamplingResult {
        precondition(logLikelihood.count == logPrior.count && logPrior.count == logProposal.count, "one value per sample")
        let s = Double(logLikelihood.count)
        let logWeights = (0..<logLikelihood.count).map { i -> Double in
            let value = logLikelihood[i] + logPrior[i] - logProposal[i]
            return value.isNaN ? -.infinity : value
        }
        let total = logSumExp(logWeights)
        guard total.isFinite, s > 0 else {
            return ImportanceSamplingResult(weights: [Double](repeating: 0, count: logWeights.count), effectiveSampleSize: 0,
                                            efficiency: 0, logEvidence: -.infinity, logEvidenceStandardError: .infinity)
        }
        let weights = logWeights.map { exp($0 - total) }
        let ess = 1 / weights.reduce(0) { $0 + $1 * $1 }
        // Relative variance of the raw weights: S·Σw̄² − 1 = S/ESS − 1.
        let relativeVariance = max(s / ess - 1, 0)
        return ImportanceSamplingResult(weights: weights, effectiveSampleSize: ess, efficiency: ess / s,
                                        logEvidence: total - log(s),
                                        logEvidenceStandardError: (relativeVariance / s).squareRoot())
    }
}
