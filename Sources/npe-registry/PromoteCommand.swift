import ArgumentParser
import NPERegistry

struct PromoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "promote", abstract: "Point an alias at a version.")

    @OptionGroup var options: RegistryOptions

    @Argument(help: "NAME@VERSION (or any reference; it is resolved now, the alias then stays on that version).")
    var reference: String

    @Option(name: .long, help: "The alias to set, e.g. production.")
    var alias: String

    struct Promoted: Encodable { var name: String; var alias: String; var version: Int }

    func run() throws {
        let registry = options.opened
        let id = try registry.resolve(reference)
        try registry.promote(id, to: alias)
        if options.json { return try printJSON(Promoted(name: id.name, alias: alias, version: id.version)) }
        print("\(id.name)@\(alias) -> \(id)")
    }
}
