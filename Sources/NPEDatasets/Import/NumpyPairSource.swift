import Foundation
import NPEData
import NPESimulators

/// `.npy` files, one per array.
struct NumpyPairSource: TrainingPairSource {
    let theta: NumpyArrayFile, x: NumpyArrayFile, context: NumpyArrayFile?
    var grid: SpectralGrid? { nil }

    init(theta: URL, x: URL, context: URL?) throws {
        self.theta = try NumpyArrayFile(path: theta.path)
        self.x = try NumpyArrayFile(path: x.path)
        self.context = try context.map { try NumpyArrayFile(path: $0.path) }
        for array in [self.x] + (self.context.map { [$0] } ?? []) where array.rowCount != self.theta.rowCount {
            throw DatasetBuildError.invalidInput(
                file: array.path, location: "shape",
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

    func file(of dataset: String) -> String {
        // A context mismatch without a context file: the prior declares inputs the user gave no array for.
        dataset == "theta" ? theta.path : dataset == "x" ? x.path : context?.path ?? "--context (not given)"
    }

    func locate(dataset: String, row: Int, column: Int) -> (file: String, location: String) {
        (file(of: dataset), "row \(row) column \(column) (\(dataset))")
    }
}
