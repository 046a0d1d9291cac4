import Foundation

/// Rejects rows whose x lies absurdly far from the bulk of the dataset: any bin farther than `limit` robust
/// standard deviations from that bin's median, the robust standard deviation being IQR / 1.349 (equal to σ for
/// Gaussian data, and unmoved by the outliers themselves).
///
/// Why: a simulator can return finite garbage for corner cases of a broad prior (the ARIEL forward model gives
/// transit depths up to 10³⁶ for a few percent of ADC2023 draws, which it does not flag). One such row in a batch
/// swamps the mean and spread used for standardisation, and its gradient swamps every other row's. With the
/// default limit of 20, Gaussian data never loses a row (the chance is below 10⁻⁸⁰); on the ARIEL prior 2 % of rows
/// are dropped, each with some bin deeper than about 0.49, while a planet's disc alone casts at most 0.31 there
/// (the largest depth kept is 0.57). The rejected fraction is reported.
public struct OutlierFilter: Codable, Equatable, Sendable {
    /// Per-bin acceptance interval (M entries each); ±∞ for a bin with no spread (a constant bin), written as
    /// JSON `null` (JSON has no infinity; see ``encode(to:)``).
    public var lower: [Float]
    public var upper: [Float]
    public var limit: Float

    /// A filter with given intervals.
    public init(lower: [Float], upper: [Float], limit: Float) {
        self.lower = lower
        self.upper = upper
        self.limit = limit
    }

    /// Fits the medians and interquartile ranges of `x` (`count` rows of M values, row-major).
    public init(x: [Float], count: Int, limit: Float) {
        let m = count > 0 ? x.count / count : 0
        self.limit = limit
        lower = []
        upper = []
        var column = [Float](repeating: 0, count: count)
        for j in 0..<m {
            for r in 0..<count { column[r] = x[r * m + j] }
            column.sort()
            let median = Self.quantile(column, 0.5)
            let scale = Self.robustScale(sortedColumn: column, median: median)
            if scale > 0 && scale.isFinite {
                lower.append(median - limit * scale)
                upper.append(median + limit * scale)
            } else {
                lower.append(-.infinity)
                upper.append(.infinity)
            }
        }
    }

    /// Whether a row's x (M values) lies inside every bin's interval.
    public func accepts(_ x: ArraySlice<Float>) -> Bool {
        var j = 0
        for value in x {
            guard value >= lower[j] && value <= upper[j] else { return false }
            j += 1
        }
        return true
    }

    /// The robust standard deviation of one bin: IQR / 1.349; when more than half the values tie (IQR = 0: a bin
    /// that is mostly zero, as in the sbibm `sir` task), the mean absolute deviation from the median times
    /// √(π/2) ≈ 1.2533 (also σ for Gaussian data), so the bin still gets a finite interval around its bulk; 0 for a
    /// constant bin, which the caller leaves unbounded.
    static func robustScale(sortedColumn column: [Float], median: Float) -> Float {
        let iqr = (quantile(column, 0.75) - quantile(column, 0.25)) / 1.349
        if iqr > 0 && iqr.isFinite { return iqr }
        guard !column.isEmpty else { return 0 }
        var total = 0.0
        for value in column { total += Double(abs(value - median)) }
        return Float(total / Double(column.count) * 1.2533141373155)
    }

    /// Linear interpolation between order statistics of sorted values.
    static func quantile(_ sorted: [Float], _ p: Double) -> Float {
        guard !sorted.isEmpty else { return 0 }
        let position = p * Double(sorted.count - 1)
        let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
        let weight = Float(position - Double(below))
        return sorted[below] + weight * (sorted[above] - sorted[below])
    }
}

extension OutlierFilter {
    /// The console line that says how much of the training set the filter skips (empty when it skips nothing), shared
    /// by every model kind's announcement.
    public static func announcement(rejectedFraction: Double, limit: Float?) -> String {
        guard rejectedFraction > 0 else { return "" }
        return String(format: "\noutlier filter: %.2f%% of the sampled training rows have x beyond %g robust σ and are skipped",
                      100 * rejectedFraction, limit ?? 0)
    }

    private enum CodingKeys: String, CodingKey { case lower, upper, limit }

    /// Writes an unbounded side (±∞, a constant bin) as `null`: JSON has no infinity, and the model card and the
    /// checkpoint's run identity are JSON, so a constant x column must not stop publication.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lower.map { $0.isFinite ? $0 : nil }, forKey: .lower)
        try container.encode(upper.map { $0.isFinite ? $0 : nil }, forKey: .upper)
        try container.encode(limit, forKey: .limit)
    }

    /// Reads `null` back as the unbounded side: −∞ for `lower`, +∞ for `upper`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lower = try container.decode([Float?].self, forKey: .lower).map { $0 ?? -.infinity }
        upper = try container.decode([Float?].self, forKey: .upper).map { $0 ?? .infinity }
        limit = try container.decode(Float.self, forKey: .limit)
    }
}
