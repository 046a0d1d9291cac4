import ArgumentParser
import NPERegistry

struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Delete one version (refused while an alias points to it, unless --force).",
        discussion: "The version number is never reused. --force also deletes the aliases pointing to the version.")

    @OptionGroup var options: RegistryOptions

    @Argument(help: "NAME@VERSION: an explicit version number, never an alias or 'latest'.")
    var reference: String

    @Flag(name: .long, help: "Remove even when aliases point to the version (they are removed too).")
    var force = false

    struct Removed: Encodable { var removed: String; var aliasesRemoved: [String] }

    func run() throws {
        let registry = options.opened
        let parsed = try ModelReference(parsing: reference)
        guard case .version(let version) = parsed.selector else {
            throw ValidationError("remove needs an explicit NAME@VERSION, not \(reference)")
        }
        let id = try ModelVersionID(name: parsed.name, version: version)
        let aliases = try registry.aliases(of: id.name).filter { $0.value == version }.keys.sorted()
        try registry.remove(id, force: force)
        if options.json { return try printJSON(Removed(removed: id.description, aliasesRemoved: aliases)) }
        print("removed \(id)" + (aliases.isEmpty ? "" : " and alias(es) \(aliases.joined(separator: ", "))"))
    }
}
