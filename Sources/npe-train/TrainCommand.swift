import ArgumentParser
import Foundation
import NPECommandLine
import NPEParallel
import NPEParallelMPI
import NPETensor
import NPETraining

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "npe-train",
        abstract: "Train a neural posterior estimator on a dataset and publish it as the next version of a model.",
        discussion: """
            Settings come from the defaults, then --config, then the flags below (docs/training.md lists every \
            key). --workers N trains N thread replicas on slices of each batch (BLAS one thread each); under \
            `mpirun -np N` each rank is one worker. Results depend on --seed and the batch size, not on the \
            worker count (up to float summation order). A checkpoint is written every epoch; after a crash or \
            Ctrl-C, rerun the same command with --resume. --kind exogan trains the ExoGAN baseline instead \
            (the config's exogan: section; --batch-size and --learning-rate then set exogan.batch_size and \
            exogan.learning_rate; docs/exogan.md).
            """)

    /// What `--kind` trains.
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case flow, exogan
    }

    @Option(help: "What to train: flow (a neural posterior estimator) or exogan (the ExoGAN baseline).")
    var kind: Kind = .flow

    @Option(help: "Dataset directory (holding dataset.h5) or dataset file.")
    var dataset: String

    @Option(help: "Model registry directory (created if missing).")
    var registry: String

    @Option(help: "Model name; the run publishes its next version.")
    var name: String

    @Option(help: "Training configuration YAML.")
    var config: String?

    @Option(help: "Thread workers (data-parallel replicas). Under mpirun, one per rank.")
    var workers: Int = 1

    @Option(help: "Maximum epochs (overrides the config).")
    var epochs: Int?

    @Option(help: "Seed of the split, shuffles, noise and initial weights (overrides the config).")
    var seed: UInt64?

    @Option(help: "Global batch size (overrides the config).")
    var batchSize: Int?

    @Option(help: "Learning rate (overrides the config).")
    var learningRate: Float?

    @Flag(help: "Continue the run whose checkpoint is in --checkpoint-dir.")
    var resume = false

    @Option(help: "Where the checkpoint and metrics log live while training (default: checkpoints/NAME).")
    var checkpointDir: String?

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be ≥ 1 (got \(workers))") }
    }

    func run() throws {
        guard MPIEnvironment.isLaunchedByMPI else { return try train(mpi: nil) }
        let communicator = try MPICommunicator()
        do {
            try train(mpi: communicator)
            try communicator.finalize()
        } catch {
            // A failed rank must end the job, or its peers wait for it forever in the next collective.
            FileHandle.standardError.write(Data("Error (rank \(communicator.rank)): \(error)\n".utf8))
            communicator.abort(errorCode: 1)
        }
    }

    func request() throws -> TrainingRequest {
        var configuration = TrainingConfiguration()
        var text: String?
        if let config {
            let url = URL(fileURLWithPath: config)
            configuration = try TrainingConfiguration(contentsOfYAML: url)
            text = try? String(contentsOf: url, encoding: .utf8)
        }
        if kind == .exogan {
            // The GAN's batch and step size live in exogan: (DCGAN defaults), so the flags set those.
            if let batchSize { configuration.exogan.batchSize = batchSize }
            if let learningRate { configuration.exogan.learningRate = learningRate }
            configuration = try configuration.applying(.init(epochs: epochs, seed: seed))
        } else {
            configuration = try configuration.applying(
                .init(epochs: epochs, seed: seed, batchSize: batchSize, learningRate: learningRate))
        }
        return TrainingRequest(
            dataset: URL(fileURLWithPath: dataset), registry: URL(fileURLWithPath: registry), modelName: name,
            configuration: configuration, configurationText: text,
            checkpointDirectory: URL(fileURLWithPath: checkpointDir ?? "checkpoints/\(name)"), resume: resume)
    }

    private func train(mpi: MPICommunicator?) throws {
        if mpi != nil && workers > 1 {
            throw ValidationError("under mpirun each rank is one worker; drop --workers (or use -np \(workers))")
        }
        if kind == .exogan { return try trainExoGAN(mpi: mpi) }
        let isRoot = mpi?.isRoot ?? true
        let session = try TrainingSession(request: try request(), isRoot: isRoot)
        // Every rank passed its checks before any trains (a rank that failed has aborted the job).
        try mpi?.barrier()
        let workerCount = mpi?.size ?? workers
        // Parallel workers keep BLAS to one thread each, so N workers use N cores rather than N² threads.
        Engine.configure(blasThreads: workerCount > 1 ? 1 : ProcessInfo.processInfo.activeProcessorCount)
        let resumeHint = resumeCommand(mpi: mpi)
        let stop = StopRequest(notice: "Stopping after the current step and writing a checkpoint (again to quit now)...")
        let display = TrainingProgress(epochs: session.request.configuration.training.epochs,
                                       batchSize: session.request.configuration.training.batchSize)
        if isRoot { display.announce(session, workers: workerCount) }
        let observers = isRoot ? display.observers : TrainingSession.Observers()
        let outcome: TrainingSession.WorkerOutcome
        if let mpi {
            outcome = try session.train(communicator: mpi, shouldStop: { stop.isRequested }, observers: observers)
        } else {
            let group = try ThreadCommunicatorGroup(size: workers)
            outcome = try group.run { communicator in
                try session.train(communicator: communicator, shouldStop: { stop.isRequested },
                                  observers: communicator.isRoot ? observers : TrainingSession.Observers())
            }[0]
        }
        display.finish()
        guard isRoot else { return }
        if outcome.result.interrupted {
            throw TrainingStopped(signal: stop.signalName ?? "a stop request",
                                  checkpoint: session.request.checkpointURL.path, resumeCommand: resumeHint)
        }
        display.summarize(outcome.result)
        let id = try session.publish(outcome, workers: workerCount)
        print("published \(id.name)@\(id.version)")
    }
}

extension TrainCommand {
    /// This command line with `--resume` (under the same launcher), for the message after a stop.
    func resumeCommand(mpi: MPICommunicator?) -> String {
        let launcher = mpi.map { "mpirun -np \($0.size) " } ?? ""
        return launcher + "npe-train " + CommandLine.arguments.dropFirst().filter { $0 != "--resume" }.joined(separator: " ")
            + " --resume"
    }
}

/// Exit after Ctrl-C or SIGTERM: the checkpoint is written, and the message says how to continue.
struct TrainingStopped: Error, CustomStringConvertible {
    var signal: String
    var checkpoint: String
    var resumeCommand: String
    var description: String {
        "stopped by \(signal); checkpoint written to \(checkpoint). To continue, run:\n  \(resumeCommand)"
    }
}
