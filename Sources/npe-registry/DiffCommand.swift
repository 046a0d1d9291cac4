import ArgumentParser
import NPERegistry

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Compare two versions: architecture, data lineage, training and metrics side by side.")

    @OptionGroup var options: RegistryOptions

    @Argument(help: "The left reference.")
    var left: String

    @Argument(help: "The right reference.")
    var right: String

    @Flag(name: .long, help: "Show only the fields that differ.")
    var changedOnly = false

    struct Row: Encodable { var section: String; var field: String; var left: String?; var right: String?; var differs: Bool }

    func run() throws {
        let registry = options.opened
        let (leftID, rightID) = (try registry.resolve(left), try registry.resolve(right))
        let comparison = ModelCardComparison(try registry.card(of: leftID), try registry.card(of: rightID))
        let rows = (changedOnly ? comparison.differences : comparison.rows)
        if options.json {
            return try printJSON(rows.map { Row(section: $0.section, field: $0.field, left: $0.left, right: $0.right, differs: $0.differs) })
        }
        var table = TextTable("", "SECTION", "FIELD", leftID.description, rightID.description)
        for row in rows { table.append(row.differs ? "*" : "", row.section, row.field, row.left ?? "-", row.right ?? "-") }
        print(table.rendered)
    }
}
