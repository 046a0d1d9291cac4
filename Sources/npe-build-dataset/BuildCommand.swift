import ArgumentParser
import Foundation
import NPECommandLine
import NPEDatasets
import NPEParallel
import NPESimulators

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Simulate N prior draws into DIR/dataset.h5 (resumable shards under DIR/shards/).",
        discussion: """
            Rows depend only on --seed, never on --threads or the MPI rank count: under `mpirun -np N` each rank \
            computes its own shards (shard k on rank k mod N) with --threads threads, and rank 0 merges. \
            Simulations that return NaN or infinity are kept with \
            flag bit 0 set in the 'flags' dataset, counted and reported. After a crash or kill, rerun the same \
            command with --resume.
            """)

    @OptionGroup var simulation: SimulatorOptions

    @OptionGroup var simulatorOptions: SimulatorConfigurationOptions

    @Option(help: "Number of rows (prior draws).")
    var rows: Int

    @Option(help: "Output directory, e.g. datasets/NAME.")
    var out: String

    @OptionGroup var seeding: SeedOptions

    @OptionGroup var threading: ThreadOptions

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
        if let shardRows, shardRows <= 0 { throw ValidationError("--shard-rows must be positive (got \(shardRows))") }
    }

    /// One worker per process (the builder runs its own --threads threads); under mpirun, one per rank.
    func run() throws {
        try Workers.launch(threads: 1) { workers in try workers.run { try build(communicator: $0) } }
    }

    private func build(communicator: Communicator) throws {
        let entry = try SimulatorCatalog.entry(named: simulation.simulator)
        let resolved = try simulatorOptions.resolve(simulator: simulation.simulator, prior: simulation.prior)
        let builder = try DatasetBuilder(
            source: resolved.prior, simulator: resolved.simulator,
            noiseModel: try DatasetInputs.noiseModel(at: noiseModel, fallback: entry.defaultNoiseModel), rows: rows,
            seed: seeding.seed, directory: URL(fileURLWithPath: out), shardRows: shardRows)
        let display = ProgressDisplay()
        let options = DatasetBuildOptions(
            threads: threading.threads, resume: resume, keepShards: keepShards,
            progressInterval: display.interval)
        guard
            let summary = try builder.run(
                options: options, communicator: communicator,
                progress: communicator.isRoot ? display.show : nil)
        else { return }
        display.finish()
        print(SummaryText.lines(summary))
    }
}
