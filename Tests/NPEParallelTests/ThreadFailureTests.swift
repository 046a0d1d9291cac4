import Foundation
import NPEParallel
import Testing

/// A worker that throws or leaves must release its peers: `run` ends with the right error instead of hanging.
struct ThreadFailureTests {
    struct WorkerFailed: Error, Equatable { var rank: Int }

    /// Runs `body` on a separate thread and gives up after `seconds`, so a deadlock fails the test instead of
    /// hanging the suite. (A deadlocked body's threads are leaked; the test has failed by then anyway.)
    static func withinTimeLimit<T>(
        seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation, _ body: @escaping () -> T
    ) -> T? {
        let done = DispatchSemaphore(value: 0)
        let box = Box<T>()
        Thread {
            box.value = body()
            done.signal()
        }.start()
        guard done.wait(timeout: .now() + seconds) == .success else {
            Issue.record("deadlock: still running after \(seconds) s", sourceLocation: sourceLocation)
            return nil
        }
        return box.value
    }

    /// One rank throws before a collective that its peers are already blocked in.
    @Test(arguments: ["barrier", "allReduce", "broadcast"])
    func aThrowingWorkerReleasesItsPeers(collective: String) throws {
        let outcome = Self.withinTimeLimit { () -> Result<[Int], Error> in
            Result {
                try ThreadCommunicatorGroup(size: 4).run { communicator -> Int in
                    try communicator.barrier()  // all healthy once
                    if communicator.rank == 2 {
                        Thread.sleep(forTimeInterval: 0.05)  // let the peers block first
                        throw WorkerFailed(rank: 2)
                    }
                    var values: [Float] = [1]
                    switch collective {
                    case "barrier": try communicator.barrier()
                    case "allReduce": try communicator.allReduceSum(&values)
                    default: try values.withUnsafeMutableBytes { try communicator.broadcast($0, root: 0) }
                    }
                    return communicator.rank
                }
            }
        }
        guard case .failure(let error)? = outcome else {
            Issue.record("expected a failure, got \(String(describing: outcome))")
            return
        }
        #expect(error as? WorkerFailed == WorkerFailed(rank: 2), "the original error, not a peer's: \(error)")
    }

    /// After a failure the group refuses further collectives and further runs.
    @Test func aFailedGroupStaysFailed() throws {
        let group = try ThreadCommunicatorGroup(size: 2)
        let first = Self.withinTimeLimit {
            Result { try group.run { communicator in if communicator.rank == 1 { throw WorkerFailed(rank: 1) } } }
        }
        #expect(throws: WorkerFailed(rank: 1)) { try first?.get() }
        #expect(group.failure?.contains("rank 1 threw") == true)
        #expect(throws: CommunicatorError.self) { try group.communicators[0].barrier() }
        #expect(throws: CommunicatorError.self) { try group.run { _ in 0 } }
    }

    /// A rank that returns while the others still call a collective: they are told which rank left.
    @Test func aWorkerThatReturnsEarlyReleasesItsPeers() throws {
        let outcome = Self.withinTimeLimit {
            Result {
                try ThreadCommunicatorGroup(size: 3).run { communicator in
                    if communicator.rank == 1 { return }
                    try communicator.barrier()
                }
            }
        }
        guard case .failure(let error)? = outcome else {
            Issue.record("expected a failure, got \(String(describing: outcome))")
            return
        }
        #expect((error as? CommunicatorError)?.reason.contains("rank 1 returned") == true, "\(error)")
    }

    /// Workers finishing at different times after their last collective is normal and must not count as a failure.
    @Test func workersMayFinishAtDifferentTimes() throws {
        let group = try ThreadCommunicatorGroup(size: 3)
        for _ in 0..<20 {
            let ranks = try group.run { communicator -> Int in
                try communicator.barrier()
                if communicator.rank == 2 { Thread.sleep(forTimeInterval: 0.002) }
                return communicator.rank
            }
            #expect(ranks == [0, 1, 2])
        }
        #expect(group.failure == nil)
    }

    /// `fail(reason:)` from outside (a Ctrl-C handler) stops workers blocked in a barrier.
    @Test func failingFromOutsideStopsBlockedWorkers() throws {
        let group = try ThreadCommunicatorGroup(size: 2)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { group.fail(reason: "interrupted") }
        let outcome = Self.withinTimeLimit {
            Result {
                try group.run { communicator in
                    // Rank 1 never arrives: only the outside failure can end rank 0's wait.
                    if communicator.rank == 1 { while group.failure == nil { Thread.sleep(forTimeInterval: 0.001) } }
                    try communicator.barrier()
                }
            }
        }
        guard case .failure(let error)? = outcome else {
            Issue.record("expected a failure, got \(String(describing: outcome))")
            return
        }
        #expect("\(error)".contains("interrupted"))
    }
}

final class Box<T>: @unchecked Sendable {
    var value: T?
}
