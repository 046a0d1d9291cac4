import Foundation

/// A comma-separated table of numbers with a header row of column names.
///
/// The dialect is deliberately small: one header line, then one row per line, fields separated by commas,
/// surrounding spaces ignored, `#` lines and blank lines skipped. Quoted fields are refused rather than half-parsed.
/// `nan`, `inf` and `-inf` parse (so the caller can report them by row). The whole file is read at once: CSV suits
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
        self.file = file
        var header: [String]?
        var values: [Double] = []
        var lineNumbers: [Int] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let lineNumber = offset + 1
            if line.contains("\"") {
                throw DatasetBuildError.invalidInput(
                    file: file, location: "line \(lineNumber)",
                    reason: "quoted fields are not supported")
            }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard let names = header else {
                if let empty = fields.firstIndex(of: "") {
                    throw DatasetBuildError.invalidInput(
                        file: file, location: "line \(lineNumber), column \(empty + 1)",
                        reason: "empty column name in the header")
                }
                if let duplicate = fields.indices.first(where: { fields.firstIndex(of: fields[$0]) != $0 }) {
                    throw DatasetBuildError.invalidInput(
                        file: file, location: "line \(lineNumber), column '\(fields[duplicate])'",
                        reason: "duplicate column name")
                }
                header = fields
                continue
            }
            guard fields.count == names.count else {
                throw DatasetBuildError.invalidInput(
                    file: file, location: "line \(lineNumber) (row \(lineNumbers.count))",
                    reason: "\(fields.count) fields, the header has \(names.count)")
            }
            for (column, field) in fields.enumerated() {
                guard let value = Double(field) else {
                    throw DatasetBuildError.invalidInput(
                        file: file,
                        location: "line \(lineNumber) (row \(lineNumbers.count)), column '\(names[column])'",
                        reason: "'\(field)' is not a number")
                }
                values.append(value)
            }
            lineNumbers.append(lineNumber)
        }
        guard let header else {
            throw DatasetBuildError.invalidInput(file: file, location: "line 1", reason: "no header line")
        }
        self.header = header
        self.values = values
        self.lineNumbers = lineNumbers
    }

    /// Where row `row`, column `column` is, for messages: `line L (row R), column 'NAME'`.
    func location(row: Int, column: Int) -> String {
        "line \(lineNumbers[row]) (row \(row)), column '\(header[column])'"
    }

    /// The column index of `name`.
    func column(named name: String) -> Int? { header.firstIndex(of: name) }
}
