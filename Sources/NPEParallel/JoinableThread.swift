import Foundation

/// A POSIX thread that is joined, not detached: after ``join()`` the thread has exited and released everything its
/// work closure captured. `ThreadCommunicatorGroup.run` relies on that to lend worker threads a non-escaping
/// closure (`Foundation.Thread` keeps its block alive past the point where the work is done, so it cannot).
struct JoinableThread {
    private let handle: pthread_t

    /// The stack each worker gets: workers run whole training steps, so give them a main-thread-sized stack rather
    /// than a secondary thread's smaller default.
    static let stackSize = 8 << 20

    /// Starts `work` on a new thread.
    /// - Throws: ``CommunicatorError`` naming `pthread_create` if the thread cannot be created.
    init(_ work: @escaping () -> Void) throws {
        final class Start { let work: () -> Void; init(_ work: @escaping () -> Void) { self.work = work } }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, Self.stackSize)
        let context = Unmanaged.passRetained(Start(work)).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, &attributes, { context in
            let start = Unmanaged<AnyObject>.fromOpaque(context!).takeRetainedValue() as! Start
            start.work()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<AnyObject>.fromOpaque(context).release()
            let reason = "error \(status): \(String(cString: strerror(status)))"
            throw CommunicatorError(operation: "pthread_create", reason: reason)
        }
        self.handle = handle
    }

    /// Waits for the thread to exit.
    func join() {
        pthread_join(handle, nil)
    }
}
