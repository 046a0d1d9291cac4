#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NPESupport

/// Ownership of a working directory or output by one running process: an exclusive, non-blocking `flock(2)` on a
/// lock file that also records who holds it, so a second run is refused with a message naming the live one.
///
/// Used where two runs would otherwise clobber each other's files: `npe-train`'s checkpoint directory and
/// `npe-infer`'s output. As with ``ModelRegistry``'s own lock, the kernel drops the lock when the holder dies
/// (even by `kill -9`), so a crash never leaves a stale lock; the recorded holder text is then only a leftover
/// and the next run simply takes the lock. A holder may delete the lock file when it is done
/// (``release(removingFile:)``); an acquirer that locked a file deleted under it notices (the inode at the path
/// differs from the one it locked) and tries again, so two runs can never both own one path.
public final class RunLock: @unchecked Sendable {
    /// The lock file.
    public let path: String
    private let lock: FileLock

    private init(_ lock: FileLock) {
        self.lock = lock
        path = lock.path
    }

    /// Takes the lock at `path` (creating the file) or fails at once.
    ///
    /// - Parameters:
    ///   - purpose: what this run is, recorded for a loser's message (for example the command line).
    ///   - advice: what a loser should do, appended to its message.
    /// - Throws: ``RunLockError/held(path:holder:advice:)`` while another process holds it, or
    ///   ``RegistryError/systemCall(function:path:errno:)`` when the file cannot be opened or locked.
    public static func acquire(at path: String, purpose: String, advice: String) throws -> RunLock {
        for _ in 0..<8 {
            guard let lock = try FileSystem.mapped({ try FileLock.tryLocking(path: path, creating: true) }) else {
                throw RunLockError.held(path: path, holder: holderText(path), advice: advice)
            }
            // The previous holder may have deleted the file between our open and our flock: then we hold a lock
            // nobody else can see. Only a lock on the inode still at `path` counts.
            guard lock.isStillAtPath else {
                lock.unlock()
                continue
            }
            // The holder text is for a loser's message only; a run that cannot write it still owns the path.
            let formatter = ISO8601DateFormatter()
            try? lock.replaceContents(
                with: "pid \(getpid()) on \(ProcessInfo.processInfo.hostName) since \(formatter.string(from: Date())): \(purpose)\n")
            return RunLock(lock)
        }
        throw RunLockError.held(path: path, holder: "another run that keeps replacing the lock file", advice: advice)
    }

    /// The holder text of a lock file (at most 4 KiB, one line), or `unknown` when it is empty.
    private static func holderText(_ path: String) -> String {
        guard let data = try? SystemCalls.readFile(path), !data.isEmpty else {
            return "unknown (a run that has not recorded itself yet)"
        }
        let text = String(decoding: data.prefix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "unknown" : text
    }

    /// Releases the lock; with `removingFile`, deletes the lock file first (while still holding it).
    public func release(removingFile: Bool = false) {
        lock.unlock(removingFile: removingFile)
    }
}

/// A path is owned by another live run.
public enum RunLockError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `holder` is what the live run recorded (pid, host, start time, command); `advice` says what to do.
    case held(path: String, holder: String, advice: String)

    public var description: String {
        switch self {
        case let .held(path, holder, advice):
            return "\(path): in use by a running process (\(holder)); \(advice)"
        }
    }
}
