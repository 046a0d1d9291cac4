import Foundation
import NPEData
import NPESupport

/// Small output files of a run (the run manifest, the summary CSV, the validation report), published through
/// NPEData's ``AtomicFile`` with failures reported as ``InferenceError/output(path:reason:)``.
enum OutputFile {
    static func write(_ data: Data, to url: URL) throws {
        try AtomicFile.write(data, to: url) { InferenceError.output(path: $0.path, reason: "\($0.call) failed: \($0.reason)") }
    }
}
