import Foundation
import NPEData
import NPESimulators

/// (theta, x[, context]) rows from another simulator's files, read a block at a time as Double.
protocol TrainingPairSource {
    /// N, and the column counts D, M and A (0 when there is no context).
    var rowCount: Int { get }
    var thetaColumns: Int { get }
    var xColumns: Int { get }
    var contextColumns: Int { get }
    /// The wavelength grid stored with the pairs, if any.
    var grid: SpectralGrid? { get }
    /// Rows `rows` of each array, row-major.
    func readRows(_ rows: Range<Int>) throws -> (theta: [Double], x: [Double], context: [Double]?)
    /// The file and location of a value, for errors: `dataset` is `theta`, `x` or `context`.
    func locate(dataset: String, row: Int, column: Int) -> (file: String, location: String)
}
