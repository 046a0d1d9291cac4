import Foundation

/// A small CSV table: a header row and data rows of plain comma-separated fields (no quoting, which none of the
/// noise files use). Lines starting with `#` and blank lines are skipped. Line numbers are kept for errors.
struct CSVTable {
    let file: String
    let header: [String]
    /// Data rows with their 1-based line numbers in the file.
    let rows: [(line: Int, fields: [String])]

    init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw NoiseError.unreadableFile(file: url.path, reason: error.localizedDescription)
        }
        try self.init(text: text, file: url.path)
    }

    init(text: String, file: String) throws {
        self.file = file
        var header: [String]?
        var rows: [(Int, [String])] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if header == nil {
                header = fields
            } else {
                guard fields.count == header!.count else {
                    throw NoiseError.wrongFieldCount(
                        file: file, line: offset + 1, expected: header!.count, got: fields.count)
                }
                rows.append((offset + 1, fields))
            }
        }
        guard let header else { throw NoiseError.wrongShape(file: file, reason: "no header row") }
        self.header = header
        self.rows = rows
    }

    func columnIndex(_ name: String) throws -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw NoiseError.missingColumn(file: file, column: name)
        }
        return index
    }

    /// The field at `column` of a row as a finite Double (optionally also ≥ 0).
    func number(_ row: (line: Int, fields: [String]), _ column: Int, nonNegative: Bool = false) throws -> Double {
        let text = row.fields[column]
        guard let value = Double(text), value.isFinite, !nonNegative || value >= 0 else {
            throw NoiseError.invalidValue(file: file, line: row.line, column: header[column], text: text)
        }
        return value
    }
}
