#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock(2)`) on a file, held from creation until ``unlock()`` or deinit.
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

    /// Opens `path` and takes the lock only if nobody holds it; `nil` when it is held elsewhere or the file is gone.
    public static func tryLocking(path: String) throws -> FileLock? {
        let descriptor: Int32
        do {
            descriptor = try SystemCalls.open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        } catch let error as SystemCallError where error.errno == ENOENT {
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

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    private static func openLockFile(_ path: String) throws -> Int32 {
        try SystemCalls.open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC)
    }

    /// Releases the lock (closing the descriptor releases it).
    public func unlock() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
    }

    deinit { unlock() }
}
