import ArgumentParser
import Foundation
import NPEDatasets
import NPESimulators

/// `--registry DIR --model NAME@REF`: the registry entry a command reads (`npe-infer`, `npe-validate`).
public struct ModelOptions: ParsableArguments {
    @Option(help: "Model registry directory.")
    public var registry = "registry"

    @Option(help: "Model reference: NAME, NAME@VERSION or NAME@ALIAS.")
    public var model: String

    public init() {}
}

/// `--prior P.yaml --simulator NAME`: where parameters come from and what simulates them (`npe-build-dataset`).
public struct SimulatorOptions: ParsableArguments {
    @Option(help: "Prior YAML file or built-in name (\(Prior.builtinNames.joined(separator: ", "))); default: the simulator's built-in prior.")
    public var prior: String?

    @Option(help: ArgumentHelp("Simulator: \(SimulatorCatalog.names.joined(separator: ", ")).", valueName: "name"))
    public var simulator = "ariel-transmission"

    public init() {}
}

/// `--seed S`: the root of every counter-based stream a command draws from; results depend on it, never on the
/// thread or rank count.
public struct SeedOptions: ParsableArguments {
    @Option(help: "Seed of the counter-based random streams.")
    public var seed: UInt64 = 0

    public init() {}
}

/// `--threads N`: how much of the machine a command uses.
///
/// Optional, so `--help` shows one default (the core count of the machine it runs on) rather than also the number
/// of the machine that printed it.
public struct ThreadOptions: ParsableArguments {
    @Option(help: "Worker threads (default: the number of cores).")
    public var threads: Int?

    public init() {}

    /// The threads to use: `--threads`, or the core count.
    public var count: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

    public func validate() throws {
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive (got \(threads))") }
    }
}
