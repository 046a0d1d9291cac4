/// Collective communication among the workers of one data-parallel job.
///
/// Three implementations share this protocol (the swift-nio pattern of one abstraction, several transports):
/// ``LocalCommunicator`` (one worker), ``ThreadCommunicator`` from a ``ThreadCommunicatorGroup`` (workers as threads
/// of one process) and, in `NPEParallelMPI`, `MPICommunicator` (`mpirun -np N ...`). Code written against
/// `Communicator` runs unchanged on all three.
///
/// Determinism: every implementation sums in rank order (rank 0 + rank 1 + …) through ``RankOrderedSum``, so a
/// reduction's result does not depend on timing, and the threads and MPI implementations give identical bits for
/// identical inputs. MPI's own reductions make no such promise, so the MPI implementation does not use them.
///
/// Collectives must be called by every worker, in the same order, with the same lengths; a length mismatch throws
/// ``CommunicatorError`` on every worker.
public protocol Communicator: AnyObject {
    /// This worker's index, `0 ..< size`.
    var rank: Int { get }
    /// The number of workers.
    var size: Int { get }

    /// Replaces `buffer` on every worker with the elementwise sum over workers, in rank order.
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws
    /// Double version of ``allReduceSum(_:)-(UnsafeMutableBufferPointer<Float>)``, for counters and metrics.
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws
    /// Copies `buffer` from `root` to every worker (same byte count everywhere).
    func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws
    /// Returns once every worker has called it.
    func barrier() throws
}

/// A collective failed (a peer died, MPI returned an error, sizes disagreed).
public struct CommunicatorError: Error, CustomStringConvertible {
    public var operation: String
    public var reason: String
    public init(operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }
    public var description: String { "\(operation): \(reason)" }
}

/// The single-worker communicator: every collective is the identity.
public final class LocalCommunicator: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {}
    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws {}
    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws {
        guard root == 0 else { throw CommunicatorError(operation: "broadcast", reason: "root \(root) outside 0..<1") }
    }
    public func barrier() throws {}
}

extension Communicator {
    /// In-place sum over workers of an array.
    public func allReduceSum(_ values: inout [Float]) throws {
        try values.withUnsafeMutableBufferPointer { try allReduceSum($0) }
    }
    public func allReduceSum(_ values: inout [Double]) throws {
        try values.withUnsafeMutableBufferPointer { try allReduceSum($0) }
    }
    /// In-place average over workers.
    public func allReduceMean(_ values: inout [Float]) throws {
        try allReduceSum(&values)
        let scale = 1 / Float(size)
        for i in values.indices { values[i] *= scale }
    }
    public var isRoot: Bool { rank == 0 }
}
