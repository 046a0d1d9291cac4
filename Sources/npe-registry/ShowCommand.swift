import ArgumentParser
import NPERegistry

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a version's model card and evaluations.")

    @OptionGroup var options: RegistryOptions

    @Argument(help: "NAME, NAME@VERSION or NAME@ALIAS.")
    var reference: String

    struct Shown: Encodable { var card: ModelCard; var aliases: [String]; var evaluations: [EvaluationRecord]; var directory: String }

    func run() throws {
        let registry = options.opened
        let id = try registry.resolve(reference)
        let card = try registry.card(of: id)
        let aliases = try registry.aliases(of: id.name).filter { $0.value == id.version }.keys.sorted()
        let evaluations = try registry.evaluations(of: id)
        if options.json {
            return try printJSON(Shown(card: card, aliases: aliases, evaluations: evaluations, directory: registry.directory(of: id).path))
        }
        var table = TextTable("FIELD", "VALUE")
        table.append("reference", id.description + (aliases.isEmpty ? "" : " (" + aliases.joined(separator: ", ") + ")"))
        table.append("directory", registry.directory(of: id).path)
        for row in ModelCardComparison(card, card).rows where row.field != "reference" {
            table.append(row.section == "model" ? row.field : "\(row.section).\(row.field)", row.left ?? "-")
        }
        for record in evaluations {
            table.append("evaluation.\(record.kind)", "\(record.createdAt.tableText): \(record.results.compactText)")
        }
        print(table.rendered)
    }
}
