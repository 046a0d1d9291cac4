import Foundation

/// Small-file publishing: bytes go to a temporary sibling, are fsynced, renamed over the final name, and the
/// directory is fsynced, so a reader (or a resumed build) sees the old file or the whole new one, never a torn one.
enum AtomicFileWriting {
    /// Writes `data` to `url` atomically.
    static func write(_ data: Data, to url: URL) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temporary = "\(directory)/.\(url.lastPathComponent).\(UInt64.random(in: 0 ... .max)).partial"
        func failure(_ call: String) -> DatasetBuildError {
            .cannotWrite(path: path, reason: "\(call) failed: \(String(cString: strerror(errno)))")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw failure("open") }
        var ok = data.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
        if ok { ok = fsync(descriptor) == 0 }
        let syncError = failure(ok ? "close" : "write/fsync")
        if close(descriptor) != 0 { ok = false }
        guard ok else {
            unlink(temporary)
            throw syncError
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

    /// Creates `url` and its parents if missing (`mkdir` one level at a time, so an error names the level that
    /// failed and why: a missing parent, a file in the way, no permission).
    static func makeDirectory(_ url: URL) throws {
        var path = url.path.hasPrefix("/") ? "" : "."
        for component in url.path.split(separator: "/") {
            path += "/" + component
            if mkdir(path, 0o755) == 0 { continue }
            let code = errno
            var status = stat()
            if code == EEXIST, stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { continue }
            let reason = code == EEXIST ? "a file is in the way" : String(cString: strerror(code))
            throw DatasetBuildError.cannotWrite(path: url.path, reason: "mkdir \(path): \(reason)")
        }
    }
}
