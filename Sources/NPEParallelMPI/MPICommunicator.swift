import CMPI
import Foundation
import NPEParallel

/// The ``Communicator`` of a job started by `mpirun -np N …`: one rank per process, over `MPI_COMM_WORLD`.
///
/// Creating one initialises MPI for the process (`MPI_Init_thread` with `MPI_THREAD_SERIALIZED`, once, however many
/// communicators are made); started without `mpirun` it is a singleton job of size 1. Call ``finalize()`` before
/// the process exits: `mpirun` reports a rank that exits without finalising as failed. MPI cannot be initialised
/// again after that.
///
/// ## Determinism
/// `MPI_Allreduce` makes no promise about the order in which it adds the ranks' values (it picks algorithms by
/// message size and process layout), so ``allReduceSum(_:)-(UnsafeMutableBufferPointer<Float>)`` does not use it.
/// Instead it is a reduce-scatter followed by an all-gather in which the sums themselves are ours:
/// 1. `MPI_Alltoallv`: the buffer is cut into `size` slices, and rank `r` receives slice `r` from every rank;
/// 2. rank `r` adds its slice's contributions in rank order with `RankOrderedSum`, the same code the threads
///    implementation uses, so both give identical bits for identical inputs;
/// 3. `MPI_Allgatherv` (in place) gives every rank every reduced slice.
/// Each rank sends and receives about `2·n·(size−1)/size` elements, as a ring all-reduce does. Buffers longer than
/// ``chunkLength`` are reduced chunk by chunk, which bounds the scratch memory and keeps counts within MPI's `int`.
///
/// Before each collective the ranks compare element counts (and broadcast roots) with one small `MPI_Allgather`,
/// so a mismatch becomes a `CommunicatorError` on every rank instead of a hang or a truncated message.
///
/// ## Errors
/// MPI failures throw ``MPIError`` naming the MPI function (the communicator uses `MPI_ERRORS_RETURN`). A failed
/// rank does not release its peers by itself: call ``abort(errorCode:)`` to end the whole job rather than leave
/// the other ranks blocked in their next collective.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    public let rank: Int
    public let size: Int

    /// Elements per reduction chunk (4 Mi, 16 MiB of Float): large enough to amortise latency, small enough to
    /// bound the scratch buffer.
    public static let chunkLength = 1 << 22

    /// Initialises MPI if this process has not yet, and reads this rank's place in `MPI_COMM_WORLD`.
    /// - Throws: ``MPIError`` if initialisation or the rank/size queries fail; `CommunicatorError` if MPI was
    ///   already finalized in this process.
    public init() throws {
        try MPIRuntime.initialize()
        (rank, size) = try MPIRuntime.withLibrary("MPI_Comm_rank") {
            var rank: Int32 = 0
            var size: Int32 = 0
            try MPIRuntime.check(MPI_Comm_rank(npe_MPI_COMM_WORLD(), &rank), "MPI_Comm_rank")
            try MPIRuntime.check(MPI_Comm_size(npe_MPI_COMM_WORLD(), &size), "MPI_Comm_size")
            return (Int(rank), Int(size))
        }
    }

    /// Finalises MPI for the whole process (`MPI_Finalize`); every communicator becomes unusable. Calling it again
    /// does nothing. All ranks must call it, after their last collective.
    public func finalize() throws {
        try MPIRuntime.finalize()
    }

    /// Ends every rank of the job (`MPI_Abort`) with `errorCode` as the exit status. Use it when this rank fails,
    /// so that its peers do not wait for it forever.
    ///
    /// It deliberately skips the lock that serialises MPI calls: another thread of this rank may be blocked in a
    /// collective holding it, and ending the job is exactly what must still be possible then.
    public func abort(errorCode: Int32) -> Never {
        _ = MPI_Abort(npe_MPI_COMM_WORLD(), errorCode)
        exit(errorCode)  // MPI_Abort should not return; if it does, still end this rank.
    }

    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
        try allReduce(buffer, type: npe_MPI_FLOAT(), operation: "allReduceSum(Float)") {
            RankOrderedSum.sum(of: $0, count: $1, into: $2)
        }
    }

    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws {
        try allReduce(buffer, type: npe_MPI_DOUBLE(), operation: "allReduceSum(Double)") {
            RankOrderedSum.sum(of: $0, count: $1, into: $2)
        }
    }

    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws {
        try MPIRuntime.withLibrary("broadcast") {
            try agree(operation: "broadcast", count: buffer.count, root: root)
            guard (0..<size).contains(root) else {
                throw CommunicatorError(operation: "broadcast", reason: "root \(root) outside 0..<\(size)")
            }
            guard size > 1, let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let length = min(Int(Int32.max), buffer.count - offset)
                try MPIRuntime.check(
                    MPI_Bcast(base + offset, Int32(length), npe_MPI_BYTE(), Int32(root), npe_MPI_COMM_WORLD()),
                    "MPI_Bcast")
                offset += length
            }
        }
    }

    public func barrier() throws {
        try MPIRuntime.withLibrary("barrier") {
            try MPIRuntime.check(MPI_Barrier(npe_MPI_COMM_WORLD()), "MPI_Barrier")
        }
    }

    // MARK: - Implementation

    private func allReduce<T>(
        _ buffer: UnsafeMutableBufferPointer<T>, type: MPI_Datatype, operation: String,
        sum: ([UnsafePointer<T>], Int, UnsafeMutablePointer<T>) -> Void
    ) throws {
        try MPIRuntime.withLibrary(operation) {
            guard size > 1 else { return }
            try agree(operation: operation, count: buffer.count, root: 0)
            guard let base = buffer.baseAddress else { return }
            // One chunk's worth of received slices: slice lengths differ by at most one,
            // so size·⌈len/size⌉ ≤ len + size.
            let scratch = UnsafeMutablePointer<T>.allocate(capacity: min(Self.chunkLength, buffer.count) + size)
            defer { scratch.deallocate() }
            var start = 0
            while start < buffer.count {
                let length = min(Self.chunkLength, buffer.count - start)
                try reduceChunk(base + start, length: length, scratch: scratch, type: type, sum: sum)
                start += length
            }
        }
    }

    /// Reduce-scatter (`MPI_Alltoallv` + rank-ordered sum) then `MPI_Allgatherv`, for `length` elements at `chunk`.
    private func reduceChunk<T>(
        _ chunk: UnsafeMutablePointer<T>, length: Int, scratch: UnsafeMutablePointer<T>, type: MPI_Datatype,
        sum: ([UnsafePointer<T>], Int, UnsafeMutablePointer<T>) -> Void
    ) throws {
        // Slice j is [starts[j], starts[j] + lengths[j]); every rank computes the same cut.
        let starts = (0...size).map { Int32($0 * length / size) }
        let lengths = (0..<size).map { starts[$0 + 1] - starts[$0] }
        let mine = lengths[rank]
        let receiveCounts = [Int32](repeating: mine, count: size)
        let receiveOffsets = (0..<size).map { Int32($0) * mine }
        try MPIRuntime.check(
            MPI_Alltoallv(
                chunk, lengths, Array(starts.prefix(size)), type,
                scratch, receiveCounts, receiveOffsets, type, npe_MPI_COMM_WORLD()),
            "MPI_Alltoallv")
        if mine > 0 {
            let contributions = (0..<size).map { UnsafePointer(scratch + $0 * Int(mine)) }
            sum(contributions, Int(mine), chunk + Int(starts[rank]))
        }
        try MPIRuntime.check(
            MPI_Allgatherv(
                npe_MPI_IN_PLACE(), 0, type, chunk, lengths, Array(starts.prefix(size)), type, npe_MPI_COMM_WORLD()),
            "MPI_Allgatherv")
    }

    /// Checks that every rank passed the same `count` and `root`; throws the same error on every rank otherwise.
    private func agree(operation: String, count: Int, root: Int) throws {
        guard size > 1 else { return }
        var mine: [Int64] = [Int64(count), Int64(root)]
        var all = [Int64](repeating: 0, count: 2 * size)
        try MPIRuntime.check(
            MPI_Allgather(&mine, 2, npe_MPI_INT64_T(), &all, 2, npe_MPI_INT64_T(), npe_MPI_COMM_WORLD()),
            "MPI_Allgather")
        for peer in 1..<size where all[2 * peer] != all[0] || all[2 * peer + 1] != all[1] {
            throw CommunicatorError(
                operation: operation,
                reason: "rank 0 passed \(all[0]) elements with root \(all[1]), "
                    + "rank \(peer) passed \(all[2 * peer]) elements with root \(all[2 * peer + 1])")
        }
    }
}
