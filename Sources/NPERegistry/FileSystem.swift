#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The registry's one wrapper over system calls. Every call goes through here; a failing status becomes
/// ``RegistryError/systemCall(function:path:errno:)`` naming the function and the path.
///
/// Plain POSIX is used rather than `FileManager` where the registry needs guarantees Foundation does not expose:
/// `O_NOFOLLOW` and `O_EXCL` opens, `fsync` of files and directories, `flock`, and `link` as a no-replace rename.
enum FileSystem {
    /// What `lstat` says is at a path (links are reported, never followed).
    enum Kind: Equatable {
        case missing, regularFile, directory, symbolicLink, other
    }

    static func kind(of path: String) throws -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return .missing }
            throw RegistryError.systemCall(function: "lstat", path: path, errno: errno)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// The target text of a symbolic link, for error messages.
    static func linkDestination(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, Int(PATH_MAX))
        guard count >= 0 else { return "?" }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Creates a directory; returns `false` when something already exists there.
    @discardableResult
    static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws -> Bool {
        if mkdir(path, mode) == 0 { return true }
        if errno == EEXIST { return false }
        throw RegistryError.systemCall(function: "mkdir", path: path, errno: errno)
    }

    /// Writes a new file (never replacing one), flushes it to disk, and closes it.
    static func writeNewFile(_ path: String, contents: Data, mode: mode_t = 0o644) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw RegistryError.systemCall(function: "open", path: path, errno: errno) }
        defer { close(descriptor) }
        try contents.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw RegistryError.systemCall(function: "write", path: path, errno: errno)
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else { throw RegistryError.systemCall(function: "fsync", path: path, errno: errno) }
    }

    /// Reads a whole regular file without following a symbolic link at its final component.
    static func readFile(_ path: String) throws -> Data {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT: throw RegistryError.missingFile(path: path)
            case ELOOP: throw RegistryError.symbolicLink(path: path, destination: linkDestination(path))
            default: throw RegistryError.systemCall(function: "open", path: path, errno: errno)
            }
        }
        defer { close(descriptor) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw RegistryError.systemCall(function: "read", path: path, errno: errno)
            }
            if count == 0 { return data }
            data.append(contentsOf: chunk[0..<count])
        }
    }

    /// Flushes a directory's entries (new names, renames) to disk.
    static func synchronizeDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw RegistryError.systemCall(function: "open", path: path, errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw RegistryError.systemCall(function: "fsync", path: path, errno: errno) }
    }

    static func rename(_ source: String, to destination: String) throws {
        guard systemRename(source, destination) == 0 else {
            throw RegistryError.systemCall(function: "rename", path: "\(source) -> \(destination)", errno: errno)
        }
    }

    /// Gives `source` the additional name `destination`; returns `false` if `destination` exists. Unlike
    /// `rename`, `link` never replaces, which makes it the atomic "create if absent" for files.
    static func linkIfAbsent(_ source: String, to destination: String) throws -> Bool {
        if link(source, destination) == 0 { return true }
        if errno == EEXIST { return false }
        throw RegistryError.systemCall(function: "link", path: "\(source) -> \(destination)", errno: errno)
    }

    static func removeFile(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw RegistryError.systemCall(function: "unlink", path: path, errno: errno)
        }
    }

    static func setMode(_ path: String, _ mode: mode_t) throws {
        guard chmod(path, mode) == 0 else { throw RegistryError.systemCall(function: "chmod", path: path, errno: errno) }
    }

    /// Names in a directory, excluding `.` and `..`, unsorted.
    static func entries(of path: String) throws -> [String] {
        guard let directory = opendir(path) else {
            throw RegistryError.systemCall(function: "opendir", path: path, errno: errno)
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
    /// directories (published versions) are made writable first, since their entries cannot be unlinked otherwise.
    static func removeTree(_ path: String) throws {
        switch try kind(of: path) {
        case .missing: return
        case .directory:
            try setMode(path, 0o755)
            for name in try entries(of: path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 || errno == ENOENT else {
                throw RegistryError.systemCall(function: "rmdir", path: path, errno: errno)
            }
        default:
            try removeFile(path)
        }
    }
}

/// `rename(2)`, reachable from inside `FileSystem`, whose own `rename(_:to:)` shadows the C name.
private func systemRename(_ source: String, _ destination: String) -> Int32 {
    rename(source, destination)
}
