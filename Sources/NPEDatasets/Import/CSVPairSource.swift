import Foundation
import NPEData
import NPESimulators

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
                throw DatasetBuildError.invalidInput(
                    file: table.file, location: "header",
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
            throw DatasetBuildError.invalidInput(
                file: table.file, location: "header", reason: "no x columns (x_0, x_1, …)")
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

    func file(of dataset: String) -> String { table.file }

    func locate(dataset: String, row: Int, column: Int) -> (file: String, location: String) {
        let indices = dataset == "theta" ? thetaIndices : dataset == "x" ? xIndices : contextIndices
        return (table.file, table.location(row: row, column: indices.indices.contains(column) ? indices[column] : -1))
    }
}
