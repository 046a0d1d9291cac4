import Foundation

/// The band a calibrated posterior's coverage estimate falls in: with N independent test pairs, the number of
/// truths inside the level-γ region is Binomial(N, γ) exactly when the posterior is calibrated, so the estimate
/// k/N lies in [q_{α/2}, q_{1−α/2}]/N with probability ≥ 1 − α. The quantiles are exact (the binomial CDF is summed
/// in log space), not a normal approximation, so the band is right for small N and levels near 0 or 1.
public enum BinomialBand {
    /// The central `probability` band (default 95 %) of k/N for k ~ Binomial(n, p).
    public static func interval(trials n: Int, probability p: Double, mass: Double = 0.95) -> ClosedRange<Double> {
        guard n > 0 else { return 0...1 }
        let tail = (1 - mass) / 2
        return Double(quantile(n: n, p: p, q: tail)) / Double(n)...Double(quantile(n: n, p: p, q: 1 - tail)) / Double(n)
    }

    /// The smallest k with P(K ≤ k) ≥ q for K ~ Binomial(n, p).
    public static func quantile(n: Int, p: Double, q: Double) -> Int {
        if p <= 0 { return 0 }
        if p >= 1 { return n }
        let logP = log(p), logQ = log1p(-p)
        var logChoose = 0.0  // log C(n, k), updated by the ratio (n − k)/(k + 1)
        var cumulative = 0.0
        for k in 0...n {
            cumulative += exp(logChoose + Double(k) * logP + Double(n - k) * logQ)
            if cumulative >= q - 1e-12 { return k }
            logChoose += log(Double(n - k)) - log(Double(k + 1))
        }
        return n
    }
}
