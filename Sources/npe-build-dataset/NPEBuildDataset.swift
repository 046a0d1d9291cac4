import ArgumentParser

/// The root command: `build` is the default, so `npe-build-dataset --prior P.yaml --rows N --out DIR` works.
struct NPEBuildDataset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "npe-build-dataset",
        abstract: "Build ExoNPE training datasets (chunked HDF5 with shuffle+LZ4) from a simulator and a prior.",
        subcommands: [BuildCommand.self, ImportCommand.self, SimulateCommand.self, CatalogueCommand.self],
        defaultSubcommand: BuildCommand.self)
}
