import Foundation

/// One rank of a ``ThreadCommunicatorGroup``: a worker thread's view of the in-process collectives.
///
/// Each collective is two barriers around a shared-memory step:
/// 1. every rank announces its buffer (address, byte count, root) in its slot and waits;
/// 2. every rank checks that the announcements agree; for an all-reduce, rank `r` then sums the slice
///    `r·n/size ..< (r+1)·n/size` over all ranks' buffers in rank order (``RankOrderedSum``) and writes it into
///    every buffer; for a broadcast, non-root ranks copy the root's bytes;
/// 3. every rank waits again, so no buffer is read after its owner has returned.
///
/// Slices are disjoint, so the ranks work in parallel without locks, and the result is bit-identical to the
/// MPI implementation and independent of thread timing.
///
/// Use each instance from one thread at a time (its own worker). Collectives must be called by every rank in the
/// same order, as with MPI. If the group has failed, every collective throws ``CommunicatorError``.
public final class ThreadCommunicator: Communicator, @unchecked Sendable {
    public let rank: Int
    public var size: Int { rendezvous.size }
    let rendezvous: ThreadRendezvous

    init(rank: Int, rendezvous: ThreadRendezvous) {
        self.rank = rank
        self.rendezvous = rendezvous
    }

    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
        try allReduce(buffer, operation: "allReduceSum(Float)") { RankOrderedSum.sum(of: $0, count: $1, into: $2) }
    }

    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws {
        try allReduce(buffer, operation: "allReduceSum(Double)") { RankOrderedSum.sum(of: $0, count: $1, into: $2) }
    }

    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws {
        let operation = "broadcast"
        announce(buffer.baseAddress, byteCount: buffer.count, root: root)
        try rendezvous.wait(operation: operation)
        var mismatch = disagreement(operation: operation)
        if mismatch == nil && !(0..<size).contains(root) {
            mismatch = CommunicatorError(operation: operation, reason: "root \(root) outside 0..<\(size)")
        }
        if mismatch == nil, rank != root, buffer.count > 0, let source = rendezvous.slots[root].address {
            buffer.baseAddress!.copyMemory(from: source, byteCount: buffer.count)
        }
        try rendezvous.wait(operation: operation)
        if let mismatch { throw mismatch }
    }

    public func barrier() throws {
        try rendezvous.wait(operation: "barrier")
    }

    private func allReduce<T>(
        _ buffer: UnsafeMutableBufferPointer<T>, operation: String,
        sum: ([UnsafePointer<T>], Int, UnsafeMutablePointer<T>) -> Void
    ) throws {
        let byteCount = buffer.count * MemoryLayout<T>.stride
        announce(buffer.baseAddress.map { UnsafeMutableRawPointer($0) }, byteCount: byteCount, root: 0)
        try rendezvous.wait(operation: operation)
        let mismatch = disagreement(operation: operation)
        if mismatch == nil, buffer.count > 0 {
            let count = buffer.count
            let start = rank * count / size
            let end = (rank + 1) * count / size
            if end > start {
                let slices = (0..<size).map { peer in
                    rendezvous.slots[peer].address!.assumingMemoryBound(to: T.self) + start
                }
                // Sum into our own buffer's slice (aliasing is allowed), then copy it to every peer.
                let target = slices[rank]
                sum(slices.map { UnsafePointer($0) }, end - start, target)
                for (peer, slice) in slices.enumerated() where peer != rank {
                    slice.update(from: target, count: end - start)
                }
            }
        }
        try rendezvous.wait(operation: operation)
        if let mismatch { throw mismatch }
    }

    private func announce(_ address: UnsafeMutableRawPointer?, byteCount: Int, root: Int) {
        rendezvous.slots[rank] = RendezvousSlot(address: address, byteCount: byteCount, root: root)
    }

    /// The same verdict on every rank (all read the same slots between the two barriers): an error if any rank
    /// announced a different byte count or root from rank 0's.
    private func disagreement(operation: String) -> CommunicatorError? {
        let reference = rendezvous.slots[0]
        for peer in 1..<max(size, 1) {
            let slot = rendezvous.slots[peer]
            if slot.byteCount != reference.byteCount || slot.root != reference.root {
                return CommunicatorError(
                    operation: operation,
                    reason: "rank 0 passed \(reference.byteCount) bytes with root \(reference.root), "
                        + "rank \(peer) passed \(slot.byteCount) bytes with root \(slot.root)")
            }
        }
        return nil
    }
}
