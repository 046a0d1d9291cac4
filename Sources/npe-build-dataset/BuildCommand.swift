import ArgumentParser
import Foundation
import NPEDatasets

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Simulate N prior draws into DIR/dataset.h5 (resumable shards under DIR/shards/).",
        discussion: """
            Rows depend only on --seed, never on --threads. Simulations that return NaN or infinity are kept with \
            flag bit 0 set in the 'flags' dataset, counted and reported. After a crash or kill, rerun the same \
            command with --resume.
            """)

    @Option(help: "Prior YAML file (default: the simulator's built-in prior).")
    var prior: String?

    @Option(help: "Simulator: \(SimulatorCatalog.names.joined(separator: ", ")).")
    var simulator = "ariel-transmission"

    @Option(help: "Number of rows (prior draws).")
    var rows: Int

    @Option(help: "Output directory, e.g. datasets/NAME.")
    var out: String

    @Option(help: "Seed of the counter-based generator.")
    var seed: UInt64 = 0

    @Option(help: "Worker threads (default: the number of cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Rows per shard (default: one HDF5 chunk, about 1 MiB of x).")
    var shardRows: Int?

    @Option(help: "Noise model JSON to declare in the dataset (default: the simulator's).")
    var noiseModel: String?

    @Flag(help: "Finish an interrupted build with the same settings.")
    var resume = false

    @Flag(help: "Keep DIR/shards/ after merging.")
    var keepShards = false

    func validate() throws {
        guard rows > 0 else { throw ValidationError("--rows must be positive (got \(rows))") }
        guard threads > 0 else { throw ValidationError("--threads must be positive (got \(threads))") }
        if let shardRows, shardRows <= 0 { throw ValidationError("--shard-rows must be positive (got \(shardRows))") }
    }

    func run() throws {
        let entry = try SimulatorCatalog.entry(named: simulator)
        let builder = try DatasetBuilder(
            prior: try DatasetInputs.prior(at: prior, fallback: entry.defaultPrior), simulator: entry.simulator,
            noiseModel: try DatasetInputs.noiseModel(at: noiseModel, fallback: entry.defaultNoiseModel), rows: rows,
            seed: seed, directory: URL(fileURLWithPath: out), shardRows: shardRows)
        let display = ProgressDisplay()
        let options = DatasetBuildOptions(threads: threads, resume: resume, keepShards: keepShards,
                                          progressInterval: display.interval)
        guard let summary = try builder.run(options: options, progress: display.show) else { return }
        display.finish()
        print(SummaryText.lines(summary))
    }
}
