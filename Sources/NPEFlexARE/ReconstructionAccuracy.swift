/// FlexARE's reconstruction accuracy (the report's formula 2), 1 − RMSE, made precise.
///
/// A depth is first put on the unit scale of its bin's training envelope, uⱼ = (xⱼ − lowⱼ)/(highⱼ − lowⱼ)
/// (``SpectrumScaling``; a bin whose envelope is empty uses width 1), so every bin counts alike and the figure
/// does not depend on the planet's absolute depth. Over N spectra and a set of bins B (all M bins, or only the
/// imputed ones):
///
///     RMSE = √( Σₙ Σ_{j∈B} (ûₙⱼ − uₙⱼ)² / Σₙ |Bₙ| ),   accuracy = 1 − RMSE
///
/// with û the reconstruction and u the clean truth. The report does not say how it scaled spectra; on raw
/// depths (≈10⁻²) 1 − RMSE would be ≈ 0.9999 for any method, so the scale matters and is stated with every
/// figure. The RMSE in ppm of depth is kept beside it.
public struct ReconstructionAccuracy: Sendable, Equatable {
    public private(set) var squaredUnitError = 0.0
    public private(set) var squaredDepthError = 0.0
    public private(set) var count = 0
    let low: [Float]
    let width: [Float]

    public init(scaling: SpectrumScaling) {
        low = scaling.low
        width = zip(scaling.low, scaling.high).map { $1 > $0 ? $1 - $0 : 1 }
    }

    /// Adds row-major spectra `[rows·M]`; `bins(row, j)` selects the bins that count (default: all).
    public mutating func add(reconstruction: [Float], truth: [Float], bins include: ((Int, Int) -> Bool)? = nil) {
        let m = low.count
        for i in truth.indices where include?(i / m, i % m) ?? true {
            let error = Double(reconstruction[i]) - Double(truth[i])
            squaredDepthError += error * error
            let unit = error / Double(width[i % m])
            squaredUnitError += unit * unit
            count += 1
        }
    }

    /// Merges another accumulator's sums (another worker's, another batch's).
    public mutating func add(_ other: ReconstructionAccuracy) {
        squaredUnitError += other.squaredUnitError
        squaredDepthError += other.squaredDepthError
        count += other.count
    }

    /// RMSE on the envelope's unit scale (NaN with nothing added).
    public var rmse: Double { count > 0 ? (squaredUnitError / Double(count)).squareRoot() : .nan }
    /// 1 − ``rmse``.
    public var accuracy: Double { 1 - rmse }
    /// RMSE in parts per million of transit depth.
    public var rmsePPM: Double { count > 0 ? 1e6 * (squaredDepthError / Double(count)).squareRoot() : .nan }

    /// The sums as three numbers, for an all-reduce.
    public var sums: [Double] { [squaredUnitError, squaredDepthError, Double(count)] }
    public mutating func replaceSums(_ sums: [Double]) {
        (squaredUnitError, squaredDepthError, count) = (sums[0], sums[1], Int(sums[2]))
    }
}
