import ArgumentParser
import Foundation
import NPECommandLine
import NPEGAN
import NPEParallel
import NPEParallelMPI
import NPETensor
import NPETraining

extension TrainCommand {
    /// `--kind exogan`: the same flow of work as the flow path (checks on every rank, then threads or MPI ranks,
    /// a checkpoint per epoch, Ctrl-C then `--resume`, publication by the root); the work is in NPEGAN's
    /// ``ExoGANTrainingSession``.
    func trainExoGAN(mpi: MPICommunicator?) throws {
        if mpi != nil && workers > 1 {
            throw ValidationError("under mpirun each rank is one worker; drop --workers (or use -np \(workers))")
        }
        let isRoot = mpi?.isRoot ?? true
        let session = try ExoGANTrainingSession(request: try request(), isRoot: isRoot)
        try mpi?.barrier()
        let workerCount = mpi?.size ?? workers
        Engine.configure(blasThreads: workerCount > 1 ? 1 : ProcessInfo.processInfo.activeProcessorCount)
        let stop = StopRequest(notice: "Stopping: discarding the unfinished epoch, the checkpoint keeps the last one (again to quit now)...")
        let bar = ProgressBar()
        let epochs = session.options.epochs
        if isRoot { bar.message(Self.describe(session, workers: workerCount)) }
        let onEpoch: (GANEpochMetrics) -> Void = { m in
            bar.message(String(format: "epoch %d/%d: D loss %.4f  G loss %.4f  D(x) %.3f  D(G(z)) %.3f  %.0f samples/s  %.1f s",
                               m.epoch + 1, epochs, m.discriminatorLoss, m.generatorLoss, m.realScore, m.fakeScore,
                               m.samplesPerSecond, m.seconds))
        }
        let outcome: ExoGANTrainingSession.WorkerOutcome
        if let mpi {
            outcome = try session.train(communicator: mpi, shouldStop: { stop.isRequested }, onEpoch: isRoot ? onEpoch : nil)
        } else {
            let group = try ThreadCommunicatorGroup(size: workers)
            outcome = try group.run { communicator in
                try session.train(communicator: communicator, shouldStop: { stop.isRequested },
                                  onEpoch: communicator.isRoot ? onEpoch : nil)
            }[0]
        }
        bar.finish()
        guard isRoot else { return }
        if outcome.interrupted {
            throw TrainingStopped(signal: stop.signalName ?? "a stop request",
                                  checkpoint: session.request.checkpointURL.path, resumeCommand: resumeCommand(mpi: mpi))
        }
        bar.message(String(format: "epoch budget reached after %d epochs", outcome.history.count))
        let id = try session.publish(outcome, workers: workerCount)
        print("published \(id.name)@\(id.version)")
    }

    static func describe(_ session: ExoGANTrainingSession, workers: Int) -> String {
        let g = session.request.configuration.exogan, o = session.options
        var text = """
            dataset: \(session.request.datasetFile.path) (\(session.rowCount) rows, θ \(session.metadata.parameterCount), \
            x \(session.metadata.featureCount); context \(session.prior.contextNames) not in the image, marginalised)
            model: exogan DCGAN, latent \(g.latentDimension), channels \(g.baseChannels); noise-free spectra
            batch \(o.batchSize), learning rate \(o.learningRate), β₁ \(o.beta1), \(o.epochs) epochs, \
            \(workers) worker\(workers == 1 ? "" : "s")\(session.request.resume ? ", resuming" : "")
            """
        if session.rejectedFraction > 0 {
            text += String(format: "\noutlier filter: %.2f%% of the sampled training rows have x beyond %g robust σ and are skipped",
                           100 * session.rejectedFraction, session.request.configuration.training.outlierLimit ?? 0)
        }
        return text
    }
}
