import Foundation
import NPERegistry

/// Plain-text tables: columns padded to their widest cell, two spaces apart, an upper-case header row.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: String...) { self.header = header }

    mutating func append(_ row: String...) { rows.append(row) }

    var rendered: String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingSuffix(while: { $0 == " " })
        }.joined(separator: "\n")
    }
}

extension String {
    /// Table rows end at their last non-blank cell.
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var text = self
        while let last = text.last, predicate(last) { text.removeLast() }
        return text
    }
}

/// JSON for `--json`: sorted keys and ISO 8601 dates, like the registry's own files.
func printJSON<Value: Encodable>(_ value: Value) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

extension RegistryOptions {
    var opened: ModelRegistry { ModelRegistry(root: URL(fileURLWithPath: registry)) }
}

extension Date {
    /// `2026-11-23 00:17:21Z`: compact for tables.
    var tableText: String {
        formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon)) + "Z"
    }
}

/// Aliases pointing at `version`, comma-separated, for tables.
func aliasText(_ aliases: [String: Int], version: Int) -> String {
    aliases.filter { $0.value == version }.keys.sorted().joined(separator: ",")
}

/// Says on stderr which root entries a listing left out and why (stdout stays the table or JSON).
func notifySkipped(_ entries: [SkippedRegistryEntry]) {
    for entry in entries {
        FileHandle.standardError.write(Data("npe-registry: skipped '\(entry.name)': \(entry.reason)\n".utf8))
    }
}
