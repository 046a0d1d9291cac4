import Foundation
import ArgumentParser
import NPERegistry

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List models, or the versions of one model.")

    @OptionGroup var options: RegistryOptions

    @Argument(help: "A model name: list its versions instead of all models.")
    var name: String?

    struct ModelRow: Encodable { var name: String; var versions: [Int]; var aliases: [String: Int] }
    struct VersionRow: Encodable { var name: String; var version: Int; var kind: String; var createdAt: Date; var aliases: [String]; var weightsSHA256: String; var weightsByteCount: Int }

    func run() throws {
        let registry = options.opened
        if let name {
            let aliases = try registry.aliases(of: name)
            let rows = try registry.versions(of: name).map { version -> VersionRow in
                let card = try registry.card(of: ModelVersionID(name: name, version: version))
                return VersionRow(name: name, version: version, kind: card.kind, createdAt: card.createdAt,
                                  aliases: aliases.filter { $0.value == version }.keys.sorted(),
                                  weightsSHA256: card.weights.sha256, weightsByteCount: card.weights.byteCount)
            }
            if options.json { return try printJSON(rows) }
            var table = TextTable("VERSION", "KIND", "CREATED", "WEIGHTS", "SHA256", "ALIASES")
            for row in rows {
                table.append(String(row.version), row.kind, row.createdAt.tableText, "\(row.weightsByteCount) B",
                             String(row.weightsSHA256.prefix(12)), row.aliases.joined(separator: ","))
            }
            print(table.rendered)
        } else {
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
