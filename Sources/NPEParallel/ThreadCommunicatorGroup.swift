import Foundation

/// `size` communicators for workers that run as threads of one process (`npe-train --workers N`).
///
/// The communicators share one ``ThreadRendezvous``: a reusable pthread barrier and a slot per rank through which
/// buffers are exchanged by address, so collectives copy only what they must. Reductions are rank-ordered and
/// bit-identical run to run (see ``ThreadCommunicator``).
///
/// ## Failure
/// A worker that throws must not leave its peers blocked in a collective. The group therefore has a failed state:
/// once ``fail(reason:)`` has been called (``run(_:)`` calls it when a worker throws), every collective that is
/// waiting or later started on any rank throws ``CommunicatorError``. The failure is permanent; make a new group to
/// start again.
///
/// ```swift
/// let losses = try ThreadCommunicatorGroup(size: 2).run { communicator in
///     var gradient = computeGradient(slice: communicator.rank)
///     try communicator.allReduceMean(&gradient)
///     return gradient[0]
/// }
/// ```
public final class ThreadCommunicatorGroup: @unchecked Sendable {
    /// The number of ranks.
    public let size: Int
    /// One communicator per rank, indexed by rank.
    public let communicators: [ThreadCommunicator]
    let rendezvous: ThreadRendezvous

    /// Creates the communicators of `size` ranks.
    /// - Throws: ``CommunicatorError`` if `size < 1`.
    public init(size: Int) throws {
        guard size >= 1 else {
            throw CommunicatorError(operation: "ThreadCommunicatorGroup", reason: "size \(size) must be at least 1")
        }
        self.size = size
        let rendezvous = ThreadRendezvous(size: size)
        self.rendezvous = rendezvous
        communicators = (0..<size).map { ThreadCommunicator(rank: $0, rendezvous: rendezvous) }
    }

    /// Fails the group: every waiting and future collective on every rank throws ``CommunicatorError`` with
    /// `reason`. Use it when a worker that you started yourself (outside ``run(_:)``) gives up, or to stop the
    /// workers from another thread (a `DispatchSource` for SIGINT; not from inside a signal handler, since it takes
    /// a lock). Only the first reason is kept.
    public func fail(reason: String) {
        rendezvous.fail(reason: reason)
    }

    /// Why the group failed, or `nil` while it is healthy.
    public var failure: String? { rendezvous.failure }

    /// Runs `body` once per rank, concurrently, each on its own thread with that rank's communicator, and returns
    /// the results indexed by rank. Rank 0 runs on the calling thread; ranks 1… run on new threads.
    ///
    /// - Throws: the first error a worker threw, in time order. That worker's error fails the group, so its peers'
    ///   collectives throw ``CommunicatorError`` and they return instead of deadlocking; their secondary errors are
    ///   not reported. A worker that returns normally cannot join later collectives: a peer waiting in (or
    ///   starting) one throws ``CommunicatorError`` saying which rank left, and that becomes the error thrown here.
    ///   All threads have finished when this returns or throws.
    public func run<Result>(_ body: (ThreadCommunicator) throws -> Result) throws -> [Result] {
        guard failure == nil else {
            throw CommunicatorError(operation: "run", reason: "the thread group has already failed: \(failure!)")
        }
        rendezvous.resetDepartures()
        let results = ResultSlots<Result>(count: size)
        withoutActuallyEscaping(body) { body in
            let work: (Int) -> Void = { rank in
                do {
                    results[rank] = try body(self.communicators[rank])
                    self.rendezvous.depart(rank: rank)
                } catch {
                    self.rendezvous.fail(reason: "rank \(rank) threw: \(error)", error: error)
                }
            }
            var threads: [JoinableThread] = []
            // Joined on every path, so no thread can still hold `body` when withoutActuallyEscaping returns.
            defer { for thread in threads { thread.join() } }
            for rank in 1..<size {
                do {
                    threads.append(try JoinableThread { work(rank) })
                } catch {
                    rendezvous.fail(reason: "could not start rank \(rank): \(error)", error: error)
                    return  // the started ranks see the failure in their first collective
                }
            }
            work(0)
        }
        if let error = rendezvous.firstError { throw error }
        if let reason = failure { throw CommunicatorError(operation: "run", reason: reason) }
        return results.values()
    }
}

/// Per-rank result storage written by distinct threads at distinct indices.
private final class ResultSlots<Value>: @unchecked Sendable {
    private var storage: [Value?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    subscript(rank: Int) -> Value? {
        get { lock.lock(); defer { lock.unlock() }; return storage[rank] }
        set { lock.lock(); storage[rank] = newValue; lock.unlock() }
    }
    func values() -> [Value] { (0..<storage.count).map { self[$0]! } }
}
