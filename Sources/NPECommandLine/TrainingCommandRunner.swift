import Foundation
import NPEModelKinds
import NPETensor
import NPETraining

/// `npe-train`'s work once its arguments are parsed, the same for every model kind: checks on every worker
/// process, then threads or MPI ranks through ``Workers``, a checkpoint per epoch, Ctrl-C then `--resume`, and
/// publication by the root.
public enum TrainingCommandRunner {
    /// Trains `kind` with `workers` thread workers (1 under `mpirun`, where each rank is a worker).
    ///
    /// - Parameters:
    ///   - request: makes the request (reads the configuration); called in every worker process, after MPI has
    ///     started, so a bad configuration under `mpirun` ends the whole job with the rank's message.
    ///   - arguments: the command line, repeated with `--resume` in the message after a stop.
    /// - Throws: the kind's setup errors, training errors, or ``TrainingStopped`` after Ctrl-C or SIGTERM.
    public static func train(kind: any ModelKind, workers: Int, arguments: [String] = CommandLine.arguments,
                             request: () throws -> TrainingRequest) throws {
        try Workers.launch(threads: workers) { launched in
            let run = try kind.prepareTraining(try request(), isRoot: launched.isRoot)
            // Every rank passed its checks before any trains (a rank that failed has aborted the job).
            try launched.barrier()
            try drive(run, workers: launched, arguments: arguments)
        }
    }

    private static func drive<Run: ModelTrainingRun>(_ run: Run, workers: Workers, arguments: [String]) throws {
        // Parallel workers keep BLAS to one thread each, so N workers use N cores rather than N² threads.
        Engine.configure(blasThreads: workers.count > 1 ? 1 : ProcessInfo.processInfo.activeProcessorCount)
        let stop = StopRequest(notice: run.stopNotice)
        let display = TrainingDisplay(epochs: run.epochBudget, batchSize: run.batchSize)
        if workers.isRoot { display.message(run.announcement(workers: workers.count)) }
        let events = display.events
        let outcome = try workers.run { communicator in
            try run.train(communicator: communicator, shouldStop: { stop.isRequested },
                          events: communicator.isRoot ? events : TrainingEvents())
        }
        display.finish()
        guard workers.isRoot else { return }
        if run.wasInterrupted(outcome) {
            let command = workers.launcherPrefix + "npe-train "
                + arguments.dropFirst().filter { $0 != "--resume" }.joined(separator: " ") + " --resume"
            throw TrainingStopped(signal: stop.signalName ?? "a stop request",
                                  checkpoint: run.request.checkpointURL.path, resumeCommand: command)
        }
        display.message(run.summary(of: outcome))
        let id = try run.publish(outcome, workers: workers.count)
        print("published \(id.name)@\(id.version)")
    }
}

/// Exit after Ctrl-C or SIGTERM: the checkpoint is written, and the message says how to continue.
public struct TrainingStopped: Error, CustomStringConvertible {
    public var signal: String
    public var checkpoint: String
    public var resumeCommand: String
    public var description: String {
        "stopped by \(signal); checkpoint written to \(checkpoint). To continue, run:\n  \(resumeCommand)"
    }
}
