import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The project's one wrapper over file-system calls. Every module that needs guarantees Foundation does not
/// expose (`O_NOFOLLOW` and `O_EXCL` opens, `fsync` of files and directories, `flock`, `link` as a no-replace
/// rename) calls these; a failing status becomes ``SystemCallError`` naming the function and the path.
///
/// **One EINTR policy.** Calls that can block and are safe to repeat (`open`, `read`, `write`, `fsync`, `flock`)
/// are retried while they fail with `EINTR` (a signal arrived, for example the SIGINT that asks a run to stop
/// cleanly). `close` is never retried: on Linux the descriptor is released even when `close` reports `EINTR`, and a
/// retry could close a descriptor another thread has just been given.
public enum SystemCalls {
    /// What `lstat` says is at a path (links are reported, never followed).
    public enum Kind: Equatable, Sendable {
        case missing, regularFile, directory, symbolicLink, other
    }

    /// Runs `call` again while it fails with `EINTR`; any other failure (a negative result) throws.
    @discardableResult
    public static func retryingInterrupts<Result: BinaryInteger>(
        _ function: String, path: String, _ call: () -> Result
    ) throws -> Result {
        while true {
            let result = call()
            if result >= 0 { return result }
            if errno == EINTR { continue }
            throw SystemCallError(function: function, path: path, errno: errno)
        }
    }

    public static func kind(of path: String) throws -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return .missing }
            throw SystemCallError(function: "lstat", path: path, errno: errno)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    public static func fileExists(at path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The target text of a symbolic link, for error messages (`?` when it cannot be read).
    public static func linkDestination(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, Int(PATH_MAX))
        guard count >= 0 else { return "?" }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Opens `path` with `flags` (retrying `EINTR`); the caller owns the descriptor.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
        try retryingInterrupts("open", path: path) { posixOpen(path, flags, mode) }
    }

    /// Creates a directory; returns `false` when something already exists there.
    @discardableResult
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws -> Bool {
        if mkdir(path, mode) == 0 { return true }
        if errno == EEXIST { return false }
        throw SystemCallError(function: "mkdir", path: path, errno: errno)
    }

    /// Writes every byte of `contents` to an open descriptor.
    public static func writeAll(_ descriptor: Int32, _ contents: Data, path: String) throws {
        try contents.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                offset += try retryingInterrupts("write", path: path) {
                    posixWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
                }
            }
        }
    }

    /// Writes a new file (never replacing one, never through a link), flushes it to disk, and closes it.
    public static func writeNewFile(_ path: String, contents: Data, mode: mode_t = 0o644) throws {
        let descriptor = try open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode: mode)
        defer { posixClose(descriptor) }
        try writeAll(descriptor, contents, path: path)
        try retryingInterrupts("fsync", path: path) { fsync(descriptor) }
    }

    /// Reads a whole regular file without following a symbolic link at its final component.
    ///
    /// - Throws: ``SystemCallError`` (`open` with `ENOENT` when missing, `ELOOP` when the name is a link).
    public static func readFile(_ path: String) throws -> Data {
        let descriptor = try open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        defer { posixClose(descriptor) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try chunk.withUnsafeMutableBytes { buffer in
                try retryingInterrupts("read", path: path) { read(descriptor, buffer.baseAddress!, buffer.count) }
            }
            if count == 0 { return data }
            data.append(contentsOf: chunk[0..<count])
        }
    }

    /// Flushes a file's data and metadata to stable storage.
    public static func synchronizeFile(at path: String) throws {
        let descriptor = try open(path, O_RDONLY | O_CLOEXEC)
        defer { posixClose(descriptor) }
        try retryingInterrupts("fsync", path: path) { fsync(descriptor) }
    }

    /// Flushes a directory's entries (new names, renames) to disk, so a rename inside it survives a power loss.
    public static func synchronizeDirectory(at path: String) throws {
        let descriptor = try open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { posixClose(descriptor) }
        try retryingInterrupts("fsync", path: path) { fsync(descriptor) }
    }

    /// Atomically replaces `destination` with `source` (both in one file system).
    public static func rename(_ source: String, to destination: String) throws {
        guard posixRename(source, destination) == 0 else {
            throw SystemCallError(function: "rename", path: "\(source) -> \(destination)", errno: errno)
        }
    }

    /// Gives `source` the additional name `destination`; returns `false` if `destination` exists. Unlike
    /// `rename`, `link` never replaces, which makes it the atomic "create if absent" for files.
    public static func linkIfAbsent(_ source: String, to destination: String) throws -> Bool {
        if link(source, destination) == 0 { return true }
        if errno == EEXIST { return false }
        throw SystemCallError(function: "link", path: "\(source) -> \(destination)", errno: errno)
    }

    /// Removes a file; a file that is already gone is not an error.
    public static func removeFile(at path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw SystemCallError(function: "unlink", path: path, errno: errno)
        }
    }

    public static func setMode(_ path: String, _ mode: mode_t) throws {
        guard chmod(path, mode) == 0 else { throw SystemCallError(function: "chmod", path: path, errno: errno) }
    }

    /// Names in a directory, excluding `.` and `..`, unsorted.
    public static func entries(of path: String) throws -> [String] {
        guard let directory = opendir(path) else {
            throw SystemCallError(function: "opendir", path: path, errno: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Deletes a directory tree without following links: links are unlinked, never traversed. Read-only
    /// directories (published registry versions) are made writable first, since their entries cannot be
    /// unlinked otherwise.
    public static func removeTree(_ path: String) throws {
        switch try kind(of: path) {
        case .missing: return
        case .directory:
            try setMode(path, 0o755)
            for name in try entries(of: path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 || errno == ENOENT else {
                throw SystemCallError(function: "rmdir", path: path, errno: errno)
            }
        default:
            try removeFile(at: path)
        }
    }
}

// The C names, reachable from inside `SystemCalls`, whose own static functions shadow them.
private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, bytes, count) }
@discardableResult private func posixClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
private func posixRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }
