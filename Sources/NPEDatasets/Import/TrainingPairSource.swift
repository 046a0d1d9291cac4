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
    /// The file that holds `dataset` (`theta`, `x` or `context`), for whole-array errors (shape, no rows), which
    /// have no row to point at.
    func file(of dataset: String) -> String
    /// The file and location of a value, for errors: `dataset` is `theta`, `x` or `context`. Never traps, even for
    /// a row or column the source does not have.
    func locate(dataset: String, row: Int, column: Int) -> (file: String, location: String)
}
