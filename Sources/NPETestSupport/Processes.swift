import Foundation

/// What a child process printed and how it ended.
public struct ProcessResult: Sendable {
    public var status: Int32
    /// Standard output (with standard error interleaved when the run merged them).
    public var output: String
    /// Standard error ("" when merged into `output`).
    public var errors: String
}

/// Runs `executable` to completion. Standard error is drained on its own thread, so a child that writes a lot to
/// both streams cannot block on a full pipe while we read the other.
///
/// - Parameter mergingErrors: send standard error into the same pipe as standard output (their interleaving is
///   then the child's own), as a terminal would show it.
public func runProcess(
    _ executable: URL, _ arguments: [String], in directory: URL? = nil,
    environment: [String: String]? = nil, mergingErrors: Bool = false
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = mergingErrors ? out : Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    final class Drained: @unchecked Sendable { var data = Data() }  // written by one thread, read after wait()
    let errorData = Drained()
    let drained = DispatchGroup()
    if !mergingErrors {
        DispatchQueue.global().async(group: drained) { errorData.data = err.fileHandleForReading.readDataToEndOfFile() }
    }
    let outputData = out.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                         errors: String(decoding: errorData.data, as: UTF8.self))
}

/// A product built beside the test bundle (`npe-registry`, `npe-build-dataset`, …).
public func builtExecutable(named name: String) -> URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
}

/// The Python used for interop checks with the real clients (h5py + hdf5plugin, safetensors, numpy):
/// `EXONPE_PYTHON`, which `scripts/test` sets to its venv. Interop suites are enabled only when it is set.
public enum InteropPython {
    public static var path: String? { ProcessInfo.processInfo.environment["EXONPE_PYTHON"] }
    public static var isAvailable: Bool { path != nil }

    /// Runs `python -c script arguments…`.
    public static func run(_ script: String, _ arguments: [String] = [], mergingErrors: Bool = false) throws -> ProcessResult {
        guard let path else { throw InteropPythonUnavailable() }
        return try runProcess(URL(fileURLWithPath: path), ["-c", script] + arguments, mergingErrors: mergingErrors)
    }
}

/// Thrown when an interop helper runs without `EXONPE_PYTHON`.
public struct InteropPythonUnavailable: Error, CustomStringConvertible {
    public var description: String { "EXONPE_PYTHON is not set; run the tests through scripts/test" }
}

/// A fresh directory under the system temporary directory; the caller removes it.
public func makeTemporaryDirectory(_ label: String = "test") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("exonpe-\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator for reproducible test data.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform in the open interval (0, 1): 53 random bits, offset by half an ulp.
    public mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// `count` Floats uniform in [-1, 1).
    public mutating func floats(_ count: Int) -> [Float] {
        (0..<count).map { _ in Float(next() >> 40) / Float(1 << 23) - 1 }
    }
}
