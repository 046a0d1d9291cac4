import ArgumentParser
import Foundation
import NPEDatasets
import NPEParallel
import NPEParallelMPI
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

    @Option(help: "Prior YAML file or built-in name (\(Prior.builtinNames.joined(separator: ", "))); default: the simulator's built-in prior.")
    var prior: String?

    @Option(help: "Simulator: \(SimulatorCatalog.names.joined(separator: ", ")).")
    var simulator = "ariel-transmission"

    @OptionGroup var simulatorOptions: SimulatorOptions

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
        guard MPIEnvironment.isLaunchedByMPI else { return try build(communicator: LocalCommunicator()) }
        let communicator = try MPICommunicator()
        do {
            try build(communicator: communicator)
            try communicator.finalize()
        } catch {
            // A failed rank must end the job, or its peers wait for it forever in the next collective.
            FileHandle.standardError.write(Data("Error (rank \(communicator.rank)): \(error)\n".utf8))
            communicator.abort(errorCode: 1)
        }
    }

    private func build(communicator: Communicator) throws {
        let entry = try SimulatorCatalog.entry(named: simulator)
        let resolved = try simulatorOptions.resolve(simulator: simulator, prior: prior)
        let builder = try DatasetBuilder(
            prior: resolved.prior, simulator: resolved.simulator,
            noiseModel: try DatasetInputs.noiseModel(at: noiseModel, fallback: entry.defaultNoiseModel), rows: rows,
            seed: seed, directory: URL(fileURLWithPath: out), shardRows: shardRows)
        let display = ProgressDisplay()
        let options = DatasetBuildOptions(
            threads: threads, resume: resume, keepShards: keepShards,
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
