import Foundation
import NPESupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The registry's view of the file system: NPESupport's ``SystemCalls`` (the one wrapper, with its one EINTR
/// policy), with each failure mapped onto ``RegistryError``: `systemCall(function:path:errno:)` naming the
/// function and path, `missingFile` for a file that is not there, `symbolicLink` where a link was refused.
enum FileSystem {
    typealias Kind = SystemCalls.Kind

    /// Runs `body`, turning a ``SystemCallError`` into the registry's error.
    static func mapped<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as SystemCallError {
            if error.function == "open", error.errno == ELOOP {
                throw RegistryError.symbolicLink(path: error.path, destination: SystemCalls.linkDestination(error.path))
            }
            throw RegistryError.systemCall(function: error.function, path: error.path, errno: error.errno)
        }
    }

    static func kind(of path: String) throws -> Kind { try mapped { try SystemCalls.kind(of: path) } }

    /// The target text of a symbolic link, for error messages.
    static func linkDestination(_ path: String) -> String { SystemCalls.linkDestination(path) }

    /// Creates a directory; returns `false` when something already exists there.
    @discardableResult
    static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws -> Bool {
        try mapped { try SystemCalls.makeDirectory(path, mode: mode) }
    }

    /// Writes a new file (never replacing one), flushes it to disk, and closes it.
    static func writeNewFile(_ path: String, contents: Data, mode: mode_t = 0o644) throws {
        try mapped { try SystemCalls.writeNewFile(path, contents: contents, mode: mode) }
    }

    /// Reads a whole regular file without following a symbolic link at its final component.
    static func readFile(_ path: String) throws -> Data {
        do {
            return try SystemCalls.readFile(path)
        } catch let error as SystemCallError where error.function == "open" && error.errno == ENOENT {
            throw RegistryError.missingFile(path: path)
        } catch {
            return try mapped { throw error }
        }
    }

    /// Flushes a directory's entries (new names, renames) to disk.
    static func synchronizeDirectory(_ path: String) throws {
        try mapped { try SystemCalls.synchronizeDirectory(at: path) }
    }

    static func rename(_ source: String, to destination: String) throws {
        try mapped { try SystemCalls.rename(source, to: destination) }
    }

    /// Gives `source` the additional name `destination`; returns `false` if `destination` exists.
    static func linkIfAbsent(_ source: String, to destination: String) throws -> Bool {
        try mapped { try SystemCalls.linkIfAbsent(source, to: destination) }
    }

    static func removeFile(_ path: String) throws { try mapped { try SystemCalls.removeFile(at: path) } }

    static func setMode(_ path: String, _ mode: mode_t) throws { try mapped { try SystemCalls.setMode(path, mode) } }

    /// Names in a directory, excluding `.` and `..`, unsorted.
    static func entries(of path: String) throws -> [String] { try mapped { try SystemCalls.entries(of: path) } }

    /// Deletes a directory tree without following links.
    static func removeTree(_ path: String) throws { try mapped { try SystemCalls.removeTree(path) } }

    /// Takes the exclusive lock on `path`, blocking until it is held.
    static func lock(_ path: String) throws -> FileLock { try mapped { try FileLock(path: path) } }

    /// Takes the lock on `path` only if nobody holds it; nil when it is held elsewhere or the file is gone.
    static func tryLocking(_ path: String) throws -> FileLock? { try mapped { try FileLock.tryLocking(path: path) } }
}
