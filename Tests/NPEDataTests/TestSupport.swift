import Foundation
import NPETestSupport
import Testing
@testable import NPEData

/// A fresh directory under the system temporary directory, removed when the test's scope ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("npedata-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Names in the directory, hidden temporaries included.
    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Deterministic pseudo-random Floats, so failures reproduce.
typealias SeededValues = SplitMix64

/// Runs the interop Python (`EXONPE_PYTHON`) on a script with arguments; returns stdout.
func runPython(_ script: String, arguments: [String] = [],
               sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let result = try InteropPython.run(script, arguments)
    #expect(result.status == 0, "python failed: \(result.errors)", sourceLocation: sourceLocation)
    return result.output
}

let pythonIsAvailable = InteropPython.isAvailable
