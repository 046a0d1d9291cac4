#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock(2)`) on a file, held from creation until ``unlock()`` or deinit.
///
/// `flock` locks belong to the open file description, so two `ModelRegistry` values in one process exclude each
/// other exactly as two processes do, and the kernel releases the lock when a holder dies, even by `kill -9`:
/// a crash can never leave a stale lock behind. (Locks on NFS are not reliable; keep registries on local disks.)
final class FileLock {
    private var descriptor: Int32
    let path: String

    /// Opens (creating if needed) `path` and blocks until the lock is held.
    init(path: String) throws {
        self.path = path
        descriptor = try FileLock.openLockFile(path)
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let code = errno
            close(descriptor)
            throw RegistryError.systemCall(function: "flock", path: path, errno: code)
        }
    }

    /// Opens `path` and takes the lock only if nobody holds it; `nil` when it is held elsewhere or the file is gone.
    static func tryLocking(path: String) throws -> FileLock? {
        let descriptor = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw RegistryError.systemCall(function: "open", path: path, errno: errno)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { return nil }
            throw RegistryError.systemCall(function: "flock", path: path, errno: code)
        }
        return FileLock(descriptor: descriptor, path: path)
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    private static func openLockFile(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            if errno == ELOOP { throw RegistryError.symbolicLink(path: path, destination: FileSystem.linkDestination(path)) }
            throw RegistryError.systemCall(function: "open", path: path, errno: errno)
        }
        return descriptor
    }

    /// Releases the lock (closing the descriptor releases it).
    func unlock() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
    }

    deinit { unlock() }
}
