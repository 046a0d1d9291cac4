/// Per-parameter summary of (optionally weighted) posterior samples: mean, standard deviation, median and the
/// 2.5, 16, 84 and 97.5 percentiles (the 95% and 68% central intervals astronomers quote).
public struct PosteriorSummary: Sendable, Equatable, Codable {
    public var mean: Double
    public var standardDeviation: Double
    public var median: Double
    public var percentile2_5: Double
    public var percentile16: Double
    public var percentile84: Double
    public var percentile97_5: Double

    /// Summarises one parameter's samples. Weighted quantiles use the weighted empirical CDF (the smallest value
    /// whose cumulative weight reaches q).
    public init(samples: [Double], weights: [Double]? = nil) {
        let w = weights ?? [Double](repeating: 1, count: samples.count)
        let total = w.reduce(0, +)
        let mean = zip(samples, w).reduce(0) { $0 + $1.0 * $1.1 } / total
        let variance = zip(samples, w).reduce(0) { $0 + $1.1 * ($1.0 - mean) * ($1.0 - mean) } / total
        let ordered = zip(samples, w).sorted { $0.0 < $1.0 }
        func quantile(_ q: Double) -> Double {
            var cumulative = 0.0
            for (value, weight) in ordered {
                cumulative += weight / total
                if cumulative >= q - 1e-12 { return value }
            }
            return ordered.last?.0 ?? .nan
        }
        self.mean = mean
        standardDeviation = variance.squareRoot()
        median = quantile(0.5)
        percentile2_5 = quantile(0.025)
        percentile16 = quantile(0.16)
        percentile84 = quantile(0.84)
        percentile97_5 = quantile(0.975)
    }
}
