import Foundation
import NPEData
import NPESupport

/// Small files of a build (the plan, simulated tables) through NPEData's ``AtomicFile`` (temporary sibling, fsync,
/// rename, directory fsync), with failures reported as ``DatasetBuildError/cannotWrite(path:reason:)``.
enum AtomicFileWriting {
    /// Writes `data` to `url` atomically.
    static func write(_ data: Data, to url: URL) throws {
        try AtomicFile.write(data, to: url) { DatasetBuildError.cannotWrite(path: $0.path, reason: "\($0.call) failed: \($0.reason)") }
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
