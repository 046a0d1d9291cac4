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
        let noise = try DatasetInputs.noiseModel(at: noiseModel, fallback: entry.defaultNoiseModel)
        if let noiseModel { try DatasetInputs.checkNoiseModel(noise, bins: resolved.simulator.outputCount, source: noiseModel) }
        if communicator.isRoot {
            for name in resolved.prior.parameters.map(\.name) where !resolved.simulator.inputNames.contains(name) {
                FileHandle.standardError.write(Data(
                    ("npe-build-dataset: warning: prior parameter '\(name)' is not an input of simulator '\(simulation.simulator)' "
                        + "(\(resolved.simulator.inputNames.joined(separator: ", "))); it is drawn and stored, but the spectra do "
                        + "not depend on it\n").utf8))
            }
        }
        let builder = try DatasetBuilder(
            source: resolved.prior, simulator: resolved.simulator, noiseModel: noise, rows: rows,
            seed: seeding.seed, directory: URL(fileURLWithPath: out), shardRows: shardRows)
        let display = ProgressDisplay()
        // Ctrl-C or SIGTERM: finish the shards in progress, keep every finished shard, and say how to resume.
        let stop = StopRequest(notice: "npe-build-dataset: stopping after the shards in progress (again to quit at once)...")
        let options = DatasetBuildOptions(
            threads: threading.count, resume: resume, keepShards: keepShards,
            progressInterval: display.interval, shouldContinue: { !stop.isRequested })
        let summary: DatasetBuildSummary?
        do {
            summary = try builder.run(
                options: options, communicator: communicator,
                progress: communicator.isRoot ? display.show : nil)
        } catch DatasetBuildError.interrupted(let completed, let total) where stop.isRequested {
            display.finish()
            let command = (["npe-build-dataset"] + CommandLine.arguments.dropFirst().filter { $0 != "--resume" } + ["--resume"])
                .joined(separator: " ")
            throw BuildStopped(signal: stop.signalName ?? "a stop request", completed: completed, total: total,
                               shards: builder.store.shardDirectory.path, resumeCommand: command)
        }
        guard let summary else { return }
        display.finish()
        print(SummaryText.lines(summary))
    }
}

/// Exit after Ctrl-C or SIGTERM: what was kept, and the command that continues the build.
struct BuildStopped: Error, CustomStringConvertible {
    var signal: String
    var completed: Int
    var total: Int
    var shards: String
    var resumeCommand: String
    var description: String {
        "stopped by \(signal) after \(completed) of \(total) shards; finished shards are kept in \(shards). "
            + "To continue, run:\n  \(resumeCommand)"
    }
}
