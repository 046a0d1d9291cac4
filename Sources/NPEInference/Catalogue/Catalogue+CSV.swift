import Foundation
import NPECSV

extension Catalogue {
    /// Reads a CSV catalogue, one target per row. Columns: `id` (optional), `x_1 … x_M` (required, in the model's
    /// bin order), `sigma_1 … sigma_M` (optional), one column per context input named as in the model (given in
    /// `contextNames`), and `true_<name>` columns for known truths. A CSV carries no wavelength grid, so only the bin
    /// count can be checked against the model. An empty or `nan` spectrum or σ cell is NaN: a bin that was not
    /// observed (see ``TargetScreening``); any other text that is not a number is an error naming the line and column.
    public init(csv url: URL, contextNames: [String]) throws {
        let table = try CSVTable(contentsOf: url)
        let source = url.path
        func numbered(_ prefix: String) -> [Int] {
            var columns: [Int] = []
            while let index = table.header.firstIndex(of: "\(prefix)_\(columns.count + 1)") { columns.append(index) }
            return columns
        }
        let xColumns = numbered("x")
        guard !xColumns.isEmpty else { throw CatalogueError.missing(file: source, dataset: "x_1 … x_M columns") }
        let sigmaColumns = numbered("sigma")
        guard sigmaColumns.isEmpty || sigmaColumns.count == xColumns.count else {
            throw CatalogueError.shape(file: source, dataset: "sigma", reason: "\(sigmaColumns.count) sigma columns, \(xColumns.count) x columns")
        }
        let contextColumns = try contextNames.map { try table.columnIndex($0) }
        let truthColumns = table.header.enumerated().filter { $0.element.hasPrefix("true_") }
        let idColumn = table.header.firstIndex(of: "id")
        func lenient(_ row: (line: Int, fields: [String]), _ column: Int) throws -> Double {
            let text = row.fields[column].trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.lowercased() == "nan" { return .nan }
            guard let value = Double(text) else {
                throw CSVError.invalidValue(file: source, line: row.line, column: table.header[column], text: row.fields[column])
            }
            return value
        }
        try self.init(
            source: source,
            ids: table.rows.enumerated().map { k, row in idColumn.map { row.fields[$0] } ?? "target_\(k)" },
            wavelengths: nil,
            x: try table.rows.flatMap { row in try xColumns.map { try lenient(row, $0) } },
            sigma: sigmaColumns.isEmpty ? nil : try table.rows.flatMap { row in try sigmaColumns.map { try lenient(row, $0) } },
            contextNames: contextNames,
            context: contextNames.isEmpty ? nil : try table.rows.flatMap { row in try contextColumns.map { try table.number(row, $0) } },
            thetaNames: truthColumns.map { String($0.element.dropFirst(5)) },
            thetaTrue: truthColumns.isEmpty ? nil : try table.rows.flatMap { row in try truthColumns.map { try table.number(row, $0.offset) } })
    }
}
