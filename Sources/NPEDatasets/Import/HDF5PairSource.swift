import Foundation
import NPEData
import NPESimulators

/// HDF5 datasets `theta` [N, D], `x` [N, M] and optional `context` [N, A] (float32 or float64), with the grid from
/// optional `wavelength` and `bin_width` [M] datasets (an ExoNPE dataset qualifies, as does any h5py file).
struct HDF5PairSource: TrainingPairSource {
    let path: String
    private let file: HDF5File
    private let theta: HDF5Dataset, x: HDF5Dataset, context: HDF5Dataset?
    let rowCount: Int
    let grid: SpectralGrid?

    init(url: URL) throws {
        path = url.path
        let path = self.path
        func invalid(_ location: String, _ reason: String) -> DatasetBuildError {
            .invalidInput(file: path, location: location, reason: reason)
        }
        do { file = try HDF5File.open(at: url) } catch { throw invalid("file", "\(error)") }
        let root = try file.root()
        func open(_ name: String, required: Bool) throws -> HDF5Dataset? {
            guard try root.contains(name) else {
                if required { throw invalid("dataset '\(name)'", "missing") }
                return nil
            }
            let dataset = try root.openDataset(name)
            guard dataset.elementType == .float32 || dataset.elementType == .float64 else {
                throw invalid("dataset '\(name)'", "element type \(dataset.elementType), expected float32 or float64")
            }
            return dataset
        }
        theta = try open("theta", required: true)!
        x = try open("x", required: true)!
        context = try open("context", required: false)
        for (name, dataset) in [("theta", theta), ("x", x)] + (context.map { [("context", $0)] } ?? []) {
            guard dataset.rowShape.count == 1 else {
                throw invalid("dataset '\(name)'", "shape \(try dataset.shape()) is not [N, columns]")
            }
        }
        rowCount = try theta.rowCount()
        for (name, dataset) in [("x", x)] + (context.map { [("context", $0)] } ?? []) {
            let rows = try dataset.rowCount()
            guard rows == rowCount else {
                throw invalid("dataset '\(name)'", "\(rows) rows, but 'theta' has \(rowCount)")
            }
        }
        if let wavelength = try open("wavelength", required: false), let width = try open("bin_width", required: false)
        {
            let centres = try Self.doubles(wavelength, 0..<(try wavelength.rowCount()))
            let widths = try Self.doubles(width, 0..<(try width.rowCount()))
            guard centres.count == x.rowShape[0], widths.count == centres.count else {
                throw invalid("dataset 'wavelength'", "\(centres.count) bins for \(x.rowShape[0]) columns of 'x'")
            }
            // Checked here, so the error names this input rather than the dataset being written.
            if let bad = centres.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
                throw invalid("dataset 'wavelength' row \(bad)", "\(centres[bad]) is not a finite positive wavelength")
            }
            if let bad = widths.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
                throw invalid("dataset 'bin_width' row \(bad)", "\(widths[bad]) is not a finite positive bin width")
            }
            grid = SpectralGrid(wavelengths: centres, binWidths: widths)
        } else {
            grid = nil
        }
    }

    var thetaColumns: Int { theta.rowShape[0] }
    var xColumns: Int { x.rowShape[0] }
    var contextColumns: Int { context?.rowShape[0] ?? 0 }

    /// Rows of a float32 or float64 dataset as Double (float32 widens exactly).
    private static func doubles(_ dataset: HDF5Dataset, _ rows: Range<Int>) throws -> [Double] {
        dataset.elementType == .float64
            ? try dataset.readRows(rows, as: Double.self)
            : try dataset.readRows(rows, as: Float.self).map(Double.init)
    }

    func readRows(_ rows: Range<Int>) throws -> (theta: [Double], x: [Double], context: [Double]?) {
        (try Self.doubles(theta, rows), try Self.doubles(x, rows), try context.map { try Self.doubles($0, rows) })
    }

    func file(of dataset: String) -> String { path }

    func locate(dataset: String, row: Int, column: Int) -> (file: String, location: String) {
        (path, "dataset '\(dataset)' row \(row) column \(column)")
    }
}
