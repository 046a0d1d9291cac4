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
    /// Per-bin acceptance interval (M entries each); ±∞ for a bin with no spread.
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
            let scale = (Self.quantile(column, 0.75) - Self.quantile(column, 0.25)) / 1.349
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
}
