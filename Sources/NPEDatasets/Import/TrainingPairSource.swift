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
        if let wavelength = try open("wavelength", required: false), let width = try open("bin_width", required: false) {
            let centres = try Self.doubles(wavelength, 0..<(try wavelength.rowCount()))
            let widths = try Self.doubles(width, 0..<(try width.rowCount()))
            guard centres.count == x.rowShape[0], widths.count == centres.count else {
                throw invalid("dataset 'wavelength'", "\(centres.count) bins for \(x.rowShape[0]) columns of 'x'")
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
        dataset.elementType == .float64 ? try dataset.readRows(rows, as: Double.self)
            : try dataset.readRows(rows, as: Float.self).map(Double.init)
    }

    func readRows(_ rows: Range<Int>) throws -> (theta: [Double], x: [Double], context: [Double]?) {
        (try Self.doubles(theta, rows), try Self.doubles(x, rows), try context.map { try Self.doubles($0, rows) })
    }

    func locate(dataset: String, row: Int, column: Int) -> (file: String, location: String) {
        (path, "dataset '\(dataset)' row \(row) column \(column)")
    }
}

/// `.npy` files, one per array.
struct NumpyPairSource: TrainingPairSource {
    let theta: NumpyArrayFile, x: NumpyArrayFile, context: NumpyArrayFile?
    var grid: SpectralGrid? { nil }

    init(theta: URL, x: URL, context: URL?) throws {
        self.theta = try NumpyArrayFile(path: theta.path)
        self.x = try NumpyArrayFile(path: x.path)
        self.context = try context.map { try NumpyArrayFile(path: $0.path) }
        for array in [self.x] + (self.context.map { [$0] } ?? []) where array.rowCount != self.theta.rowCount {
            throw DatasetBuildError.invalidInput(file: array.path, location: "shape",
                                                 reason: "\(array.rowCount) rows, but \(self.theta.path) has \(self.theta.rowCount)")
        }
    }

    var rowCount: Int { theta.rowCount }
    var thetaColumns: Int { theta.columnCount }
    var xColumns: Int { x.columnCount }
    var contextColumns: Int { context?.columnCount ?? 0 }

    func readRows(_ rows: Range<Int>) throws -> (theta: [Double], x: [Double], context: [Double]?) {
        (try theta.readRows(rows), try x.readRows(rows), try context?.readRows(rows))
    }

    func locate(dataset: String, row: Int, column: Int) -> (file: String, location: String) {
        let file = dataset == "theta" ? theta.path : dataset == "x" ? x.path : context?.path ?? "?"
        return (file, "row \(row) column \(column) (\(dataset))")
    }
}

/// One CSV file: a column per theta and context name of the prior, and x columns named `x_0`, `x_1`, … in order.
struct CSVPairSource: TrainingPairSource {
    let table: NumericCSV
    let thetaIndices: [Int], contextIndices: [Int], xIndices: [Int]
    var grid: SpectralGrid? { nil }

    init(url: URL, prior: Prior) throws {
        table = try NumericCSV(contentsOf: url)
        let table = self.table
        func required(_ name: String) throws -> Int {
            guard let index = table.column(named: name) else {
                throw DatasetBuildError.invalidInput(file: table.file, location: "header",
                                                     reason: "no column '\(name)' (a parameter of the prior)")
            }
            return index
        }
        thetaIndices = try prior.thetaNames.map(required)
        contextIndices = try prior.contextNames.map(required)
        let known = Set(prior.thetaNames + prior.contextNames)
        var xIndices: [Int] = []
        for (index, name) in table.header.enumerated() where !known.contains(name) {
            guard name == "x_\(xIndices.count)" else {
                throw DatasetBuildError.invalidInput(
                    file: table.file, location: "header, column '\(name)'",
                    reason: "neither a theta/context name of the prior nor the next x column 'x_\(xIndices.count)'")
            }
            xIndices.append(index)
        }
        guard !xIndices.isEmpty else {
            throw DatasetBuildError.invalidInput(file: table.file, location: "header", reason: "no x columns (x_0, x_1, …)")
        }
        self.xIndices = xIndices
    }

    var rowCount: Int { table.rowCount }
    var thetaColumns: Int { thetaIndices.count }
    var xColumns: Int { xIndices.count }
    var contextColumns: Int { contextIndices.count }

    func readRows(_ rows: Range<Int>) throws -> (theta: [Double], x: [Double], context: [Double]?) {
        func gather(_ indices: [Int]) -> [Double] {
            rows.flatMap { row in indices.map { table.values[row * table.columnCount + $0] } }
        }
        return (gather(thetaIndices), gather(xIndices), contextIndices.isEmpty ? nil : gather(contextIndices))
    }

    func locate(dataset: String, row: Int, column: Int) -> (file: String, location: String) {
        let indices = dataset == "theta" ? thetaIndices : dataset == "x" ? xIndices : contextIndices
        return (table.file, table.location(row: row, column: indices[column]))
    }
}
