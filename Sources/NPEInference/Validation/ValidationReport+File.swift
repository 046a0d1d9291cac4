import Foundation

/// A report file could not be written; names the path and the failing call.
public struct ReportWriteError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public var description: String { "\(path): cannot write the report: \(reason)" }
}

extension ValidationReport {
    /// Writes the report's JSON to `url` atomically: a temporary sibling is written and fsynced, then renamed over
    /// `url`, so a reader sees the old file or the whole new one.
    public func write(to url: URL) throws {
        let data = try jsonData(pretty: true)
        let path = url.path
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: 0 ... .max)).partial").path
        func failure(_ call: String) -> ReportWriteError { ReportWriteError(path: path, reason: "\(call): \(String(cString: strerror(errno)))") }
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
        let error = failure(ok ? "close" : "write/fsync")
        if close(descriptor) != 0 { ok = false }
        guard ok, rename(temporary, path) == 0 else {
            let renameError = ok ? failure("rename") : error
            unlink(temporary)
            throw renameError
        }
    }
}
