import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small file (a manifest, a checkpoint, a CSV, a JSON report) could not be published; names the path and the
/// POSIX call that failed.
public struct AtomicWriteError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var call: String
    public var reason: String
    public var description: String { "\(path): \(call) failed: \(reason)" }

    public init(path: String, call: String, reason: String) {
        self.path = path
        self.call = call
        self.reason = reason
    }
}

/// Crash-safe whole-file replacement, the one implementation every module uses for small files: the bytes go to a
/// temporary sibling (`O_EXCL`), are fsynced, renamed over the final name, and the directory is fsynced, so a reader
/// (or a resumed run) sees the old file or the whole new one, never a torn one. The temporary is removed on failure.
public enum AtomicFile {
    /// Writes `data` to `url`; the directory must exist.
    ///
    /// - Throws: ``AtomicWriteError`` naming `url`'s path and the failing call (`open`, `write`, `fsync`, `close`,
    ///   `rename`).
    public static func write(_ data: Data, to url: URL) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temporary = "\(directory)/.\(url.lastPathComponent).\(String(UInt64.random(in: 0 ... .max), radix: 16)).partial"
        func failure(_ call: String, _ code: Int32 = errno) -> AtomicWriteError {
            AtomicWriteError(path: path, call: call, reason: String(cString: strerror(code)))
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw failure("open") }
        var error: AtomicWriteError?
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { error = failure("write"); return }
                offset += written
            }
        }
        if error == nil, fsync(descriptor) != 0 { error = failure("fsync") }
        if close(descriptor) != 0, error == nil { error = failure("close") }
        if error == nil, rename(temporary, path) != 0 { error = failure("rename") }
        if let error {
            unlink(temporary)
            throw error
        }
        synchronizeDirectory(directory)
    }

    /// fsyncs a directory so a rename in it survives a power cut (best effort: some file systems refuse).
    public static func synchronizeDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }
}
