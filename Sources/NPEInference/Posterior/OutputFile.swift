import Foundation
import NPEData
import NPESupport

/// Small output files of a run (the run manifest, the summary CSV, the validation report), published through
/// NPEData's ``AtomicFile`` with failures reported as ``InferenceError/output(path:reason:)``.
enum OutputFile {
    static func write(_ data: Data, to url: URL) throws {
        do {
            try AtomicFile.write(data, to: url)
        } catch let error as AtomicWriteError {
            throw InferenceError.output(path: error.path, reason: "\(error.call) failed: \(error.reason)")
        }
    }
}
