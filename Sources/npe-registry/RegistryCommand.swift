import ArgumentParser

/// The root command: a list of subcommands, nothing else.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "npe-registry",
        abstract: "Inspect and maintain a registry of versioned, immutable ExoNPE models.",
        discussion: "References are NAME (newest version), NAME@VERSION or NAME@ALIAS. The format is in docs/registry-format.md.",
        subcommands: [ListCommand.self, ShowCommand.self, PromoteCommand.self, VerifyCommand.self, DiffCommand.self,
                      RemoveCommand.self, GarbageCollectCommand.self])
}

/// Options every subcommand takes.
struct RegistryOptions: ParsableArguments {
    @Option(name: .long, help: "The registry directory.")
    var registry: String = "registry"

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}
