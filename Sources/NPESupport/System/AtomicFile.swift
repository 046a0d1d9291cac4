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
        do {
            let descriptor = try SystemCalls.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC)
            do {
                try SystemCalls.writeAll(descriptor, data, path: temporary)
                try SystemCalls.retryingInterrupts("fsync", path: temporary) { fsync(descriptor) }
            } catch {
                close(descriptor)
                throw error
            }
            guard close(descriptor) == 0 else { throw SystemCallError(function: "close", path: temporary, errno: errno) }
            try SystemCalls.rename(temporary, to: path)
        } catch let error as SystemCallError {
            unlink(temporary)
            throw AtomicWriteError(path: path, call: error.function, reason: error.reason)
        }
        synchronizeDirectory(directory)
    }

    /// ``write(_:to:)``, with a failure reported as the caller's own error (each module names its failures in its
    /// own error type; this keeps the mapping to one line at each call site).
    public static func write(_ data: Data, to url: URL, mappingFailure map: (AtomicWriteError) -> Error) throws {
        do {
            try write(data, to: url)
        } catch let error as AtomicWriteError {
            throw map(error)
        }
    }

    /// fsyncs a directory so a rename in it survives a power cut (best effort: some file systems refuse).
    public static func synchronizeDirectory(_ path: String) {
        try? SystemCalls.synchronizeDirectory(at: path)
    }
}
