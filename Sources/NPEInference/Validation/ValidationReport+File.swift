import Foundation
import NPESupport

extension ValidationReport {
    /// Writes the report's JSON to `url` atomically (NPEData's `AtomicFile`: temporary sibling, fsync, rename), so a reader
    /// sees the old file or the whole new one.
    ///
    /// - Throws: ``InferenceError/output(path:reason:)`` naming the path and the failing call.
    public func write(to url: URL) throws {
        try OutputFile.write(try jsonData(pretty: true), to: url)
    }
}
