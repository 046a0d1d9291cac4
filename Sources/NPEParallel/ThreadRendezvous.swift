import Foundation

/// What one rank announces before a collective: its buffer and the shape it expects.
struct RendezvousSlot {
    var address: UnsafeMutableRawPointer?
    var byteCount = 0
    /// The broadcast root this rank asked for (0 for reductions), so disagreeing ranks are caught.
    var root = 0
}

/// The shared state of a ``ThreadCommunicatorGroup``: a reusable barrier, one announcement slot per rank, and the
/// group's failure.
///
/// The barrier is generation-counted under one `NSCondition` (a pthread mutex and condition variable): waiting
/// threads sleep, nothing spins. A waiter returns normally only when its own generation completed. Once the group
/// has failed (a worker threw, or someone called `fail`), every current and future wait throws instead, so no thread
/// can be left blocked behind a peer that will never arrive. A rank that returns from its worker has the same effect
/// on barriers that would need it, without failing the group.
///
/// Slots are written by their own rank before it enters the barrier and read by peers after it leaves; the mutex
/// inside the barrier orders those accesses.
final class ThreadRendezvous: @unchecked Sendable {
    let size: Int
    let slots: UnsafeMutablePointer<RendezvousSlot>
    private let condition = NSCondition()
    private var arrived = 0
    private var generation: UInt64 = 0
    private var failureReason: String?
    private var recordedError: Error?
    /// Set when a rank returned from its worker: it will never arrive at another barrier.
    private var departureReason: String?

    init(size: Int) {
        self.size = size
        slots = .allocate(capacity: size)
        slots.initialize(repeating: RendezvousSlot(), count: size)
    }

    deinit {
        slots.deinitialize(count: size)
        slots.deallocate()
    }

    /// Blocks until all `size` ranks have called `wait` for the same generation.
    /// - Throws: ``CommunicatorError`` naming `operation` if the group has failed or fails while waiting.
    func wait(operation: String) throws {
        condition.lock()
        defer { condition.unlock() }
        if let reason = failureReason ?? departureReason { throw peerFailure(operation, reason) }
        let myGeneration = generation
        arrived += 1
        if arrived == size {
            arrived = 0
            generation &+= 1
            condition.broadcast()
            return
        }
        while generation == myGeneration && failureReason == nil && departureReason == nil {
            condition.wait()
        }
        // A completed generation wins over a failure recorded after it: the peers did all arrive.
        if generation != myGeneration { return }
        throw peerFailure(operation, failureReason ?? departureReason ?? "unknown failure")
    }

    /// Marks the group failed and wakes every waiter. The first call's reason and error are kept.
    func fail(reason: String, error: Error? = nil) {
        condition.lock()
        defer { condition.unlock() }
        if failureReason == nil {
            failureReason = reason
            recordedError = error
        }
        condition.broadcast()
    }

    /// Records that `rank` returned from its worker, so no barrier can complete until ``resetDepartures()``.
    /// Unlike ``fail(reason:error:)`` this is not a failure by itself: only peers still waiting for the departed
    /// rank are affected.
    func depart(rank: Int) {
        condition.lock()
        defer { condition.unlock() }
        if departureReason == nil {
            departureReason = "rank \(rank) returned from its worker while peers wait in a collective"
        }
        condition.broadcast()
    }

    /// Forgets departures: every rank is running again (the start of a new `run`).
    func resetDepartures() {
        condition.lock()
        defer { condition.unlock() }
        departureReason = nil
        arrived = 0
    }

    /// The reason the group failed, or `nil` while it is healthy.
    var failure: String? {
        condition.lock()
        defer { condition.unlock() }
        return failureReason
    }

    /// The error that first failed the group, if a worker's error did.
    var firstError: Error? {
        condition.lock()
        defer { condition.unlock() }
        return recordedError
    }

    private func peerFailure(_ operation: String, _ reason: String) -> CommunicatorError {
        CommunicatorError(operation: operation, reason: "the thread group has failed: \(reason)")
    }
}
