import Foundation

/// A mock observed catalogue in memory: T noisy spectra of real targets with their truths, as
/// ``MockCatalogueBuilder`` makes it and ``write(to:provenance:)`` stores it.
///
/// Matrices are row-major, one row per written target, in target-list order.
public struct MockCatalogue: Sendable {
    /// T target names.
    public var ids: [String]
    /// T 0-based rows of each target in the target list.
    public var sourceRows: [Int]
    /// D theta names and their units (`""` when dimensionless), in the prior's order.
    public var parameterNames: [String]
    public var parameterUnits: [String]
    /// A context names, in the prior's order.
    public var contextNames: [String]
    /// Prior parameters whose values came from the target list (the rest were drawn from the prior).
    public var catalogueParameters: [String]
    /// `[T, D]` true theta.
    public var thetaTrue: [Double]
    /// `[T, A]` context (the catalogue's values where it has them).
    public var context: [Double]
    /// `[T, M]` noise-free simulated spectra.
    public var xNoiseFree: [Double]
    /// `[T, M]` observed spectra: noise-free plus σ ⊙ ε.
    public var x: [Double]
    /// `[T, M]` the 1σ used per bin; nil when the noise model is `none` (then x is noise-free).
    public var sigma: [Double]?
    /// T numbers of co-added transits behind σ.
    public var transits: [Int]
    /// M bin centres and full widths [µm].
    public var wavelengths: [Double]
    public var binWidths: [Double]
    /// Targets that were not written, in list order, each with the reason.
    public var skipped: [SkippedTarget]

    /// T, the number of written targets.
    public var targetCount: Int { ids.count }
    /// How many targets were skipped for each ``SkippedTarget/category``.
    public var skippedCounts: [String: Int] { Dictionary(grouping: skipped, by: \.category).mapValues(\.count) }
}

/// A target left out of a mock catalogue, and why. Nothing is clamped: a catalogue value outside the prior, a gap
/// in the list, a target the noise model does not know, or a failed simulation each skip the target.
public struct SkippedTarget: Sendable, Equatable, Codable {
    /// The target's 0-based row and 1-based line in the list, and its name.
    public var row: Int
    public var line: Int
    public var name: String
    /// A short grouping key for counts, e.g. `planet_temp outside prior`, `no noise`, `simulation failed`.
    public var category: String
    /// The full reason, with the value and the bounds.
    public var reason: String

    public init(row: Int, line: Int, name: String, category: String, reason: String) {
        self.row = row
        self.line = line
        self.name = name
        self.category = category
        self.reason = reason
    }
}
