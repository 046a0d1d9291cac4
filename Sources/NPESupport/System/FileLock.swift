#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An exclusive advisory lock (`flock(2)`) on a file, held from creation until ``unlock(removingFile:)`` or deinit.
///
/// Failures are ``SystemCallError``s (`open` with `ELOOP` when the lock file is a symbolic link).
///
/// `flock` locks belong to the open file description, so two holders in one process (two `ModelRegistry` values, say) exclude each
/// other exactly as two processes do, and the kernel releases the lock when a holder dies, even by `kill -9`:
/// a crash can never leave a stale lock behind. (Locks on NFS are not reliable; keep registries on local disks.)
public final class FileLock {
    private var descriptor: Int32
    public let path: String

    /// Opens (creating if needed) `path` and blocks until the lock is held.
    public init(path: String) throws {
        self.path = path
        descriptor = try FileLock.openLockFile(path)
        do {
            try SystemCalls.retryingInterrupts("flock", path: path) { flock(descriptor, LOCK_EX) }
        } catch {
            close(descriptor)
            throw error
        }
    }

    /// Opens `path` and takes the lock only if nobody holds it; `nil` when it is held elsewhere or (without
    /// `creating`) the file is gone. With `creating` a missing file is made first.
    public static func tryLocking(path: String, creating: Bool = false) throws -> FileLock? {
        let descriptor: Int32
        do {
            descriptor = try SystemCalls.open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC | (creating ? O_CREAT : 0))
        } catch let error as SystemCallError where error.errno == ENOENT && !creating {
            return nil
        }
        do {
            try SystemCalls.retryingInterrupts("flock", path: path) { flock(descriptor, LOCK_EX | LOCK_NB) }
        } catch let error as SystemCallError {
            close(descriptor)
            if error.errno == EWOULDBLOCK { return nil }
            throw error
        }
        return FileLock(descriptor: descriptor, path: path)
    }

    /// Whether the locked file is still the one at ``path``. A holder that deletes its lock file
    /// (``unlock(removingFile:)``) can do so between another process's open and its lock; that process then holds
    /// a lock nobody else can see, and should let it go and try again.
    public var isStillAtPath: Bool {
        var locked = stat(), current = stat()
        guard descriptor >= 0, fstat(descriptor, &locked) == 0, lstat(path, &current) == 0 else { return false }
        return locked.st_ino == current.st_ino && locked.st_dev == current.st_dev
    }

    /// Replaces the lock file's contents with `text` (through the locked descriptor) and flushes it to disk: how
    /// a holder says who it is.
    public func replaceContents(with text: String) throws {
        try SystemCalls.retryingInterrupts("ftruncate", path: path) { ftruncate(descriptor, 0) }
        try SystemCalls.retryingInterrupts("lseek", path: path) { lseek(descriptor, 0, SEEK_SET) }
        try SystemCalls.writeAll(descriptor, Data(text.utf8), path: path)
        try SystemCalls.retryingInterrupts("fsync", path: path) { fsync(descriptor) }
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    private static func openLockFile(_ path: String) throws -> Int32 {
        try SystemCalls.open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC)
    }

    /// Releases the lock (closing the descriptor releases it); with `removingFile`, deletes the lock file first,
    /// while still holding it, so no other process can have locked the name meanwhile.
    public func unlock(removingFile: Bool = false) {
        if descriptor >= 0 {
            if removingFile { _ = unlink(path) }
            close(descriptor)
            descriptor = -1
        }
    }

    deinit { unlock() }
}
