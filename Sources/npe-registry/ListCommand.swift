import Foundation
import ArgumentParser
import NPERegistry

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List models, or the versions of one model.")

    @OptionGroup var options: RegistryOptions

    @Argument(help: "A model name: list its versions instead of all models.")
    var name: String?

    struct ModelRow: Encodable { var name: String; var versions: [Int]; var aliases: [String: Int] }
    /// One version; card fields are `nil` when its card cannot be read (then `error` says why: run `verify`).
    struct VersionRow: Encodable {
        var name: String; var version: Int; var aliases: [String]
        var kind: String?; var createdAt: Date?; var weightsSHA256: String?; var weightsByteCount: Int?; var error: String?
    }

    func run() throws {
        let registry = options.opened
        if let name {
            let aliases = try registry.aliases(of: name)
            let rows = try registry.versions(of: name).map { version -> VersionRow in
                var row = VersionRow(name: name, version: version, aliases: aliases.filter { $0.value == version }.keys.sorted())
                do {
                    // One damaged version must not hide the others: report it in its row.
                    let card = try registry.card(of: ModelVersionID(name: name, version: version))
                    (row.kind, row.createdAt) = (card.kind, card.createdAt)
                    (row.weightsSHA256, row.weightsByteCount) = (card.weights.sha256, card.weights.byteCount)
                } catch {
                    row.error = "\(error)"
                }
                return row
            }
            if options.json { return try printJSON(rows) }
            var table = TextTable("VERSION", "KIND", "CREATED", "WEIGHTS", "SHA256", "ALIASES")
            for row in rows {
                table.append(String(row.version), row.kind ?? "DAMAGED (run verify)", row.createdAt?.tableText ?? "-",
                             row.weightsByteCount.map { "\($0) B" } ?? "-", row.weightsSHA256.map { String($0.prefix(12)) } ?? "-",
                             row.aliases.joined(separator: ","))
            }
            print(table.rendered)
        } else {
            notifySkipped(try registry.skippedEntries())
            let rows = try registry.modelNames().map { ModelRow(name: $0, versions: try registry.versions(of: $0), aliases: try registry.aliases(of: $0)) }
            if options.json { return try printJSON(rows) }
            var table = TextTable("NAME", "VERSIONS", "LATEST", "ALIASES")
            for row in rows {
                let aliases = row.aliases.keys.sorted().map { "\($0)=\(row.aliases[$0]!)" }.joined(separator: ",")
                table.append(row.name, String(row.versions.count), row.versions.last.map(String.init) ?? "-", aliases)
            }
            print(table.rendered)
        }
    }
}
