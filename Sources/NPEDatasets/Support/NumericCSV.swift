import Foundation
import NPECSV

/// A comma-separated table of numbers with a header row of column names.
///
/// Fields are split by ``NPECSV/CSVTable`` (comments, blank lines and quoting as documented there); this layer
/// parses them as numbers and words its errors for the dataset tools. `nan`, `inf` and `-inf` parse (so the caller can report them by row). The whole file is read at once: CSV suits
/// parameter lists and modest datasets; use HDF5 or .npy for millions of rows.
struct NumericCSV {
    let file: String
    let header: [String]
    /// Row-major values, `rowCount × header.count`.
    let values: [Double]
    /// The 1-based line number of each row, for error messages.
    let lineNumbers: [Int]

    var rowCount: Int { lineNumbers.count }
    var columnCount: Int { header.count }

    init(contentsOf url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw DatasetBuildError.invalidInput(file: url.path, location: "file", reason: error.localizedDescription)
        }
        try self.init(text: text, file: url.path)
    }

    init(text: String, file: String) throws {
        let table: CSVTable
        do {
            table = try CSVTable(text: text, file: file)
        } catch let CSVError.wrongFieldCount(file, line, row, expected, got) {
            throw DatasetBuildError.invalidInput(
                file: file, location: "line \(line) (row \(row))", reason: "\(got) fields, the header has \(expected)")
        } catch let CSVError.duplicateColumn(file, column) {
            throw DatasetBuildError.invalidInput(file: file, location: "header, column '\(column)'", reason: "duplicate column name")
        } catch let CSVError.noHeader(file) {
            throw DatasetBuildError.invalidInput(file: file, location: "line 1", reason: "no header line")
        } catch let CSVError.unterminatedQuote(file, line) {
            throw DatasetBuildError.invalidInput(file: file, location: "line \(line)", reason: "a quoted field is not closed")
        }
        if let empty = table.header.firstIndex(of: "") {
            throw DatasetBuildError.invalidInput(
                file: file, location: "header, column \(empty + 1)", reason: "empty column name in the header")
        }
        self.file = file
        header = table.header
        lineNumbers = table.rows.map(\.line)
        var values: [Double] = []
        values.reserveCapacity(table.rows.count * table.header.count)
        for (index, row) in table.rows.enumerated() {
            for (column, field) in row.fields.enumerated() {
                // nan and inf parse, so the caller can report them by row with its own rule.
                guard let value = Double(field) else {
                    throw DatasetBuildError.invalidInput(
                        file: file, location: "line \(row.line) (row \(index)), column '\(table.header[column])'",
                        reason: "'\(field)' is not a number")
                }
                values.append(value)
            }
        }
        self.values = values
    }

    /// Where row `row`, column `column` is, for messages: `line L (row R), column 'NAME'`. Total: a row or column
    /// outside the table (an empty table has no row 0) is described rather than indexed, since this runs while an
    /// error is being built and must never trap.
    func location(row: Int, column: Int) -> String {
        let line = lineNumbers.indices.contains(row) ? "line \(lineNumbers[row]) (row \(row))" : "row \(row) (the file has \(rowCount) data rows)"
        let name = header.indices.contains(column) ? "column '\(header[column])'" : "column \(column)"
        return "\(line), \(name)"
    }

    /// The column index of `name`.
    func column(named name: String) -> Int? { header.firstIndex(of: name) }
}
