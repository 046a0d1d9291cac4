import Foundation
import NPEParallel
import NPEParallelMPI

/// The one worker launcher of the executables: detects `mpirun`, owns MPI's initialise, finalize and abort, and
/// runs data-parallel work as MPI ranks or as threads of this process.
///
/// ```swift
/// try Workers.launch(threads: workers) { workers in
///     let session = try TrainingSession(request: request, isRoot: workers.isRoot)  // checks, on every rank
///     try workers.barrier()                                                       // all passed before any trains
///     let outcome = try workers.run { communicator in try session.train(communicator: communicator) }
///     if workers.isRoot { try session.publish(outcome) }
/// }
/// ```
///
/// Under `mpirun -np N` each rank is one worker and `threads` must be 1; otherwise ``run(_:)`` runs `threads`
/// workers as threads (``ThreadCommunicatorGroup``), or one with a ``LocalCommunicator``. A rank whose work throws
/// prints `Error (rank r): …` and aborts the whole job, or its peers would wait for it forever in the next
/// collective.
public final class Workers {
    /// The MPI communicator of this rank, when launched by `mpirun`.
    public let mpi: MPICommunicator?
    /// The thread workers per process (1 under MPI).
    public let threads: Int

    private init(mpi: MPICommunicator?, threads: Int) {
        self.mpi = mpi
        self.threads = threads
    }

    /// Whether this process holds the root worker (rank 0, or the only process): it publishes and prints.
    public var isRoot: Bool { mpi?.isRoot ?? true }
    /// All workers of the job: MPI ranks, or threads.
    public var count: Int { mpi?.size ?? threads }
    /// `mpirun -np N ` when launched by MPI, else empty: the prefix a resume hint repeats.
    public var launcherPrefix: String { mpi.map { "mpirun -np \($0.size) " } ?? "" }

    /// Waits until every MPI rank arrives (a no-op without MPI).
    public func barrier() throws { try mpi?.barrier() }

    /// Runs `body` once per worker and returns this process's root worker's result: the MPI rank's own result, or
    /// thread 0's.
    public func run<Result>(_ body: @escaping (Communicator) throws -> Result) throws -> Result {
        if let mpi { return try body(mpi) }
        if threads == 1 { return try body(LocalCommunicator()) }
        return try ThreadCommunicatorGroup(size: threads).run(body)[0]
    }

    /// Starts the job and runs `body` in this process.
    ///
    /// - Parameters:
    ///   - threads: thread workers per process; must be 1 under `mpirun`.
    ///   - option: the flag that set `threads`, named in the error under MPI.
    /// - Throws: ``WorkerLaunchError`` for threads under MPI, or `body`'s error (without MPI; under MPI the job is
    ///   aborted instead).
    @discardableResult
    public static func launch<Result>(
        threads: Int, option: String = "--workers", _ body: (Workers) throws -> Result
    ) throws -> Result? {
        guard MPIEnvironment.isLaunchedByMPI else {
            return try body(Workers(mpi: nil, threads: threads))
        }
        let communicator = try MPICommunicator()
        do {
            if threads > 1 { throw WorkerLaunchError.threadsUnderMPI(option: option, threads: threads) }
            let result = try body(Workers(mpi: communicator, threads: 1))
            try communicator.finalize()
            return result
        } catch {
            FileHandle.standardError.write(Data("Error (rank \(communicator.rank)): \(error)\n".utf8))
            communicator.abort(errorCode: 1)
        }
    }
}

/// Why workers could not start.
public enum WorkerLaunchError: Error, Equatable, CustomStringConvertible {
    /// Thread workers were asked for under `mpirun`, where each rank is one worker.
    case threadsUnderMPI(option: String, threads: Int)

    public var description: String {
        switch self {
        case let .threadsUnderMPI(option, threads):
            return "under mpirun each rank is one worker; drop \(option) (or use -np \(threads))"
        }
    }
}
