#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

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
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
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
            let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                if errno == ELOOP { throw RegistryError.symbolicLink(path: path, destination: FileSystem.linkDestination(path)) }
                throw RegistryError.systemCall(function: "open", path: path, errno: errno)
            }
            var status: Int32
            repeat { status = flock(descriptor, LOCK_EX | LOCK_NB) } while status != 0 && errno == EINTR
            guard status == 0 else {
                let code = errno
                let holder = holderText(descriptor)
                close(descriptor)
                if code == EWOULDBLOCK { throw RunLockError.held(path: path, holder: holder, advice: advice) }
                throw RegistryError.systemCall(function: "flock", path: path, errno: code)
            }
            // The previous holder may have deleted the file between our open and our flock: then we hold a lock
            // nobody else can see. Only a lock on the inode still at `path` counts.
            var locked = stat(), current = stat()
            guard fstat(descriptor, &locked) == 0, lstat(path, &current) == 0,
                  locked.st_ino == current.st_ino, locked.st_dev == current.st_dev else {
                close(descriptor)
                continue
            }
            let lock = RunLock(path: path, descriptor: descriptor)
            lock.record(purpose)
            return lock
        }
        throw RunLockError.held(path: path, holder: "another run that keeps replacing the lock file", advice: advice)
    }

    /// `pid P on HOST since DATE: PURPOSE`, written into the file so a loser can name this run.
    private func record(_ purpose: String) {
        let formatter = ISO8601DateFormatter()
        let text = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName) since \(formatter.string(from: Date())): \(purpose)\n"
        _ = ftruncate(descriptor, 0)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        _ = fsync(descriptor)
    }

    /// The holder text of a lock file (at most 4 KiB, one line), or `unknown` when it is empty.
    private static func holderText(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return "unknown (a run that has not recorded itself yet)" }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "unknown" : text
    }

    /// Releases the lock; with `removingFile`, deletes the lock file first (while still holding it).
    public func release(removingFile: Bool = false) {
        guard descriptor >= 0 else { return }
        if removingFile { _ = unlink(path) }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
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
