import NPESupport

/// The POSIX calls behind atomic publication of HDF5 files (write to a temporary name, fsync, rename, fsync the
/// directory): NPESupport's ``SystemCalls``, with each failure mapped onto
/// ``HDF5Error/fileSystemCallFailed(function:path:errno:)``.
enum POSIXFileCalls {
    private static func mapped(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as SystemCallError {
            throw HDF5Error.fileSystemCallFailed(function: error.function, path: error.path, errno: error.errno)
        }
    }

    /// Flushes a file's data and metadata to stable storage.
    static func synchronizeFile(at path: String) throws { try mapped { try SystemCalls.synchronizeFile(at: path) } }

    /// Flushes a directory, so a rename inside it survives a power loss.
    static func synchronizeDirectory(at path: String) throws {
        try mapped { try SystemCalls.synchronizeDirectory(at: path) }
    }

    /// Atomically replaces `destination` with `source` (both in one directory).
    static func move(_ source: String, replacing destination: String) throws {
        do {
            try SystemCalls.rename(source, to: destination)
        } catch let error as SystemCallError {
            // The error names the destination, as callers' messages always have.
            throw HDF5Error.fileSystemCallFailed(function: "rename", path: destination, errno: error.errno)
        }
    }

    /// Removes a file; a file that is already gone is not an error.
    static func removeFile(at path: String) throws { try mapped { try SystemCalls.removeFile(at: path) } }

    static func fileExists(at path: String) -> Bool { SystemCalls.fileExists(at: path) }
}
