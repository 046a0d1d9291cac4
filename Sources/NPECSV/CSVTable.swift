import Foundation

/// A CSV table read whole: a header row and data rows, each kept with its 1-based line number so every error can
/// name the file, line and column.
///
/// Format: comma-separated fields; a field may be double-quoted (RFC 4180), in which case it may contain commas
/// and doubled quotes (`""`); surrounding spaces of unquoted fields are trimmed. Blank lines and lines starting
/// with `#` are skipped (the shipped data files carry provenance comments). Every data row must have as many
/// fields as the header.
public struct CSVTable: Sendable {
    /// The file the table came from (or a label), used in errors.
    public let file: String
    public let header: [String]
    /// Data rows with their 1-based line numbers in the file.
    public let rows: [(line: Int, fields: [String])]

    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw CSVError.unreadableFile(file: url.path, reason: error.localizedDescription)
        }
        try self.init(text: text, file: url.path)
    }

    public init(text: String, file: String) throws {
        self.file = file
        var header: [String]?
        var rows: [(Int, [String])] = []
        // Split on line feeds in the UTF-8 view: in Swift's Character view "\r\n" is one grapheme that does not
        // equal "\n", so a file with CRLF (or mixed) line endings would otherwise read as one line.
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        for (offset, rawLine) in lines.enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = try CSVTable.fields(of: line, file: file, line: offset + 1)
            if let header {
                guard fields.count == header.count else {
                    throw CSVError.wrongFieldCount(file: file, line: offset + 1, row: rows.count, expected: header.count, got: fields.count)
                }
                rows.append((offset + 1, fields))
            } else {
                header = fields
            }
        }
        guard let header else { throw CSVError.noHeader(file: file) }
        if let duplicate = header.enumerated().first(where: { header[..<$0.offset].contains($0.element) }) {
            throw CSVError.duplicateColumn(file: file, column: duplicate.element)
        }
        self.header = header
        self.rows = rows
    }

    /// Splits one line into fields, honouring double quotes.
    static func fields(of line: String, file: String, line number: Int) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false, wasQuoted = false
        var characters = line.makeIterator()
        while let c = characters.next() {
            if quoted {
                if c == "\"" {
                    // A doubled quote is a literal quote; a single one closes the field.
                    var lookahead = characters
                    if lookahead.next() == "\"" { current.append("\""); characters = lookahead } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == "\"" && current.trimmingCharacters(in: .whitespaces).isEmpty {
                quoted = true
                wasQuoted = true
                current = ""
            } else if c == "," {
                fields.append(wasQuoted ? current : current.trimmingCharacters(in: .whitespaces))
                current = ""
                wasQuoted = false
            } else {
                current.append(c)
            }
        }
        guard !quoted else { throw CSVError.unterminatedQuote(file: file, line: number) }
        fields.append(wasQuoted ? current : current.trimmingCharacters(in: .whitespaces))
        return fields
    }

    /// The index of column `name`.
    public func columnIndex(_ name: String) throws -> Int {
        guard let index = header.firstIndex(of: name) else { throw CSVError.missingColumn(file: file, column: name) }
        return index
    }

    /// The field at `column` of a row as a finite Double (optionally also ≥ 0).
    public func number(_ row: (line: Int, fields: [String]), _ column: Int, nonNegative: Bool = false) throws -> Double {
        let text = row.fields[column]
        guard let value = Double(text), value.isFinite, !nonNegative || value >= 0 else {
            throw CSVError.invalidValue(file: file, line: row.line, column: header[column], text: text)
        }
        return value
    }
}

/// A CSV file that cannot be used; each case names the file and, where it applies, the line and column.
public enum CSVError: Error, Equatable, CustomStringConvertible, Sendable {
    case unreadableFile(file: String, reason: String)
    case noHeader(file: String)
    case duplicateColumn(file: String, column: String)
    case missingColumn(file: String, column: String)
    /// `row` is the 0-based index of the data row (comments and the header do not count).
    case wrongFieldCount(file: String, line: Int, row: Int, expected: Int, got: Int)
    case unterminatedQuote(file: String, line: Int)
    case invalidValue(file: String, line: Int, column: String, text: String)

    public var description: String {
        switch self {
        case let .unreadableFile(file, reason): return "\(file): cannot read (\(reason))"
        case let .noHeader(file): return "\(file): no header row"
        case let .duplicateColumn(file, column): return "\(file): column '\(column)' appears twice in the header"
        case let .missingColumn(file, column): return "\(file): missing column '\(column)'"
        case let .wrongFieldCount(file, line, row, expected, got): return "\(file):\(line) (row \(row)): expected \(expected) fields, got \(got)"
        case let .unterminatedQuote(file, line): return "\(file):\(line): a quoted field is not closed"
        case let .invalidValue(file, line, column, text): return "\(file):\(line): column '\(column)': '\(text)' is not a valid value"
        }
    }
}
