#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX calls behind atomic publication (write to a temporary name, fsync, rename, fsync the
/// directory). Each failure becomes ``HDF5Error/fileSystemCallFailed(function:path:errno:)``.
enum POSIXFileCalls {
    /// Flushes a file's data and metadata to stable storage.
    static func synchronizeFile(at path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { _ = close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("fsync", path) }
    }

    /// Flushes a directory, so a rename inside it survives a power loss.
    static func synchronizeDirectory(at path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { _ = close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("fsync", path) }
    }

    /// Atomically replaces `destination` with `source` (both in one directory).
    static func move(_ source: String, replacing destination: String) throws {
        guard rename(source, destination) == 0 else { throw failure("rename", destination) }
    }

    /// Removes a file; a file that is already gone is not an error.
    static func removeFile(at path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw failure("unlink", path) }
    }

    static func fileExists(at path: String) -> Bool {
        access(path, F_OK) == 0
    }

    private static func failure(_ function: String, _ path: String) -> HDF5Error {
        .fileSystemCallFailed(function: function, path: path, errno: errno)
    }
}
