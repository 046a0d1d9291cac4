import CMPI
import Foundation
import NPEParallel

/// The process-wide MPI library state and the one wrapper through which every MPI call goes.
///
/// MPI may be initialised once per process and never again after `MPI_Finalize`, so the state lives here, behind a
/// lock, rather than in any communicator. The thread level requested is `MPI_THREAD_SERIALIZED`: any thread may
/// call MPI, one at a time. Swift code does not control which thread runs it (Swift concurrency hops threads), so
/// `FUNNELED` would be a promise we could not keep; `lock` serialises every call instead.
enum MPIRuntime {
    private enum State: Equatable { case uninitialized, initialized(threadLevel: Int32), finalized }

    /// Serialises every MPI call of the process (the `MPI_THREAD_SERIALIZED` contract) and guards `state`.
    static let lock = NSLock()
    nonisolated(unsafe) private static var state = State.uninitialized

    /// Initialises MPI unless this process already did (or someone else did, e.g. a host application).
    /// - Throws: ``MPIError`` if `MPI_Init_thread` fails or cannot give serialized thread support;
    ///   `CommunicatorError` if MPI was already finalized.
    static func initialize() throws {
        lock.lock()
        defer { lock.unlock() }
        switch state {
        case .initialized(let threadLevel): return try requireSerialized(threadLevel)
        case .finalized: throw finalizedError("MPI_Init_thread")
        case .uninitialized: break
        }
        var already: Int32 = 0
        try check(MPI_Initialized(&already), "MPI_Initialized")
        var provided: Int32 = 0
        if already != 0 {
            try check(MPI_Query_thread(&provided), "MPI_Query_thread")
        } else {
            try check(MPI_Init_thread(nil, nil, npe_MPI_THREAD_SERIALIZED(), &provided), "MPI_Init_thread")
        }
        // From here on MPI is initialised, whatever happens next, so record it (finalize must still run).
        state = .initialized(threadLevel: provided)
        try requireSerialized(provided)
        // Failed calls return codes (turned into MPIError) instead of aborting the whole job without a message.
        try check(MPI_Comm_set_errhandler(npe_MPI_COMM_WORLD(), npe_MPI_ERRORS_RETURN()), "MPI_Comm_set_errhandler")
    }

    /// Refuses an MPI library that cannot take calls from more than one thread (one at a time); asked on every
    /// initialisation, so a second communicator cannot slip past a first one's failure.
    private static func requireSerialized(_ threadLevel: Int32) throws {
        guard threadLevel < npe_MPI_THREAD_SERIALIZED() else { return }
        throw MPIError(
            function: "MPI_Init_thread", code: threadLevel,
            message: "the MPI library provides thread level \(threadLevel), below MPI_THREAD_SERIALIZED")
    }

    /// Calls `MPI_Finalize` once; later calls do nothing.
    static func finalize() throws {
        lock.lock()
        defer { lock.unlock() }
        guard case .initialized = state else { state = .finalized; return }
        state = .finalized
        try check(MPI_Finalize(), "MPI_Finalize")
    }

    /// Runs `body` (MPI calls) under the process lock, after checking that MPI is usable.
    /// - Parameter operation: the collective's name, for the error if MPI is not initialised.
    static func withLibrary<Result>(_ operation: String, _ body: () throws -> Result) throws -> Result {
        lock.lock()
        defer { lock.unlock() }
        switch state {
        case .initialized: return try body()
        case .finalized: throw finalizedError(operation)
        case .uninitialized:
            throw CommunicatorError(operation: operation, reason: "MPI is not initialised (create an MPICommunicator)")
        }
    }

    /// Turns an MPI return code into ``MPIError`` naming `function`.
    static func check(_ code: Int32, _ function: String) throws {
        guard code != npe_MPI_SUCCESS() else { return }
        throw MPIError(function: function, code: code, message: errorString(code))
    }

    /// Converts a Swift count to MPI's `int`, refusing what does not fit.
    static func int32Count(_ count: Int, _ function: String) throws -> Int32 {
        guard let value = Int32(exactly: count) else {
            throw CommunicatorError(operation: function, reason: "count \(count) does not fit MPI's int")
        }
        return value
    }

    private static func errorString(_ code: Int32) -> String {
        var text = [CChar](repeating: 0, count: Int(npe_MPI_MAX_ERROR_STRING()) + 1)
        var length: Int32 = 0
        guard MPI_Error_string(code, &text, &length) == npe_MPI_SUCCESS() else { return "unknown MPI error" }
        let bytes = text.prefix(Int(max(0, length))).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func finalizedError(_ operation: String) -> CommunicatorError {
        CommunicatorError(operation: operation, reason: "MPI was finalized; it cannot be used again in this process")
    }
}
