import Foundation
import Synchronization

/// The signal that asked for a stop (0: none). Written only by the signal handler, read by ``StopRequest`` from
/// any thread: a lock-free atomic, which is both async-signal-safe and free of data races.
private let receivedStopSignal = Atomic<Int32>(0)
/// The notice printed on the first signal, prepared before the handler is installed (a handler may only call
/// async-signal-safe functions such as `write(2)`, so it must not build the text itself).
nonisolated(unsafe) private var stopNotice: [UInt8] = []

/// Turns SIGINT and SIGTERM into a polled flag, so a long job can finish its current step, save its state and
/// exit cleanly instead of dying mid-write.
///
/// The first signal sets ``isRequested`` and prints the notice; a second one ends the process at once (exit status
/// 128 + signal number), for a user who does not want to wait. The handler is a plain C signal handler that only
/// stores the number and calls `write(2)` or `_exit(2)`, all async-signal-safe. Installing it also unblocks both
/// signals in the calling thread: a process started from a thread that blocks SIGTERM (as test runners and some
/// launchers do) inherits that mask, and would otherwise never see the signal.
public final class StopRequest: @unchecked Sendable {
    /// Installs the handlers (process-wide; one per process).
    public init(notice: String) {
        stopNotice = Array("\n\(notice)\n".utf8)
        let handler: @convention(c) (Int32) -> Void = { number in
            // exchange, not load-then-store: two signals racing on two threads still see exactly one "first".
            if receivedStopSignal.exchange(number, ordering: .sequentiallyConsistent) != 0 { _exit(128 + number) }
            stopNotice.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in [SIGINT, SIGTERM] {
            signal(number, handler)
            sigaddset(&mask, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
    }

    /// Whether a stop was asked for.
    public var isRequested: Bool { receivedStopSignal.load(ordering: .sequentiallyConsistent) != 0 }

    /// The signal received (`SIGINT` or `SIGTERM`), if any.
    public var signalName: String? {
        switch receivedStopSignal.load(ordering: .sequentiallyConsistent) {
        case 0: return nil
        case SIGINT: return "SIGINT"
        default: return "SIGTERM"
        }
    }
}
