import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Small-file publishing for the posterior writer (manifest, summary CSV): bytes go to a temporary sibling, are
/// fsynced, renamed over the final name, and the directory is fsynced, so a reader or a resumed run sees the old
/// file or the whole new one, never a torn one.
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temporary = "\(directory)/.\(url.lastPathComponent).\(String(UInt64.random(in: 0 ... .max), radix: 16)).partial"
        func failure(_ call: String) -> InferenceError {
            .output(path: path, reason: "\(call) failed: \(String(cString: strerror(errno)))")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw failure("open") }
        var ok = data.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
        let writeError = failure("write")
        if ok { ok = fsync(descriptor) == 0 }
        let syncError = failure("fsync")
        let closed = close(descriptor) == 0
        guard ok, closed else {
            unlink(temporary)
            throw ok ? failure("close") : (data.isEmpty ? syncError : writeError)
        }
        guard rename(temporary, path) == 0 else {
            let error = failure("rename")
            unlink(temporary)
            throw error
        }
        syncDirectory(directory)
    }

    /// fsyncs a directory so a rename in it survives a power cut (best effort: some file systems refuse).
    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }
}
