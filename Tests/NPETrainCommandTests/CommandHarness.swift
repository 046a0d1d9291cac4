import Foundation
import NPEData
import NPERegistry
import NPETestSupport
import NPETraining
import Testing
import NPESafetensors

/// Runs the built `npe-train` and `npe-build-dataset` binaries (they sit beside the test bundle) in a scratch
/// directory, and reads what they publish.
final class CommandHarness {
    static let train = builtExecutable(named: "npe-train")
    static let buildDataset = builtExecutable(named: "npe-build-dataset")
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: train.path)
            && FileManager.default.isExecutableFile(atPath: buildDataset.path)
    }
    static var mpirun: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let root: URL
    init(_ label: String = #function) throws { root = try makeTemporaryDirectory(label) }
    deinit { try? FileManager.default.removeItem(at: root) }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    func write(_ text: String, to path: String) throws {
        try text.write(to: url(path), atomically: true, encoding: .utf8)
    }

    /// Our environment without MPI launcher variables (so a plain run is not mistaken for an MPI rank), plus any
    /// given.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ProcessInfo.processInfo.environment
            .filter { name, _ in !(name.hasPrefix("OMPI_") || name.hasPrefix("PMIX_") || name.hasPrefix("PMI_")) }
            .merging(extra) { _, new in new }
    }

    /// `npe-build-dataset ARGS` in the scratch directory; fails the test on a non-zero exit.
    func buildDataset(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try runProcess(Self.buildDataset, arguments, in: root, environment: Self.environment())
        #expect(result.status == 0, "\(result.errors)", sourceLocation: sourceLocation)
    }

    /// `npe-train ARGS` in the scratch directory.
    func train(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(Self.train, arguments, in: root, environment: Self.environment())
    }

    /// `mpirun -np N npe-train ARGS` as root in a container (see NPEParallelMPITests for each flag's reason).
    func trainUnderMPI(ranks: Int, _ arguments: [String]) throws -> ProcessResult {
        let environment = Self.environment([
            "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
            "OMPI_MCA_btl_vader_single_copy_mechanism": "none",
        ])
        let launcher = ["--oversubscribe", "--bind-to", "none", "--mca", "btl", "self,vader", "--timeout", "120",
                        "-np", String(ranks), Self.train.path]
        return try runProcess(URL(fileURLWithPath: Self.mpirun!), launcher + arguments, in: root,
                              environment: environment)
    }

    /// Starts `npe-train ARGS` without waiting, stdout and stderr to a log file.
    func startTraining(_ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = Self.train
        process.arguments = arguments
        process.currentDirectoryURL = root
        process.environment = Self.environment()
        _ = FileManager.default.createFile(atPath: url(log).path, contents: nil)
        let handle = try FileHandle(forWritingTo: url(log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Waits until `path` holds at least `lines` lines (a metrics log), or fails after `timeout` seconds.
    func waitForLines(_ path: String, atLeast lines: Int, timeout: Double = 120) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOf: url(path), encoding: .utf8),
               text.split(separator: "\n").count >= lines { return }
            usleep(5_000)
        }
        Issue.record("\(path) did not reach \(lines) lines in \(timeout) s")
    }

    /// Waits until `path` exists (a checkpoint appears by atomic rename, so it is then complete).
    func waitForFile(_ path: String, timeout: Double = 120) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: url(path).path) { return }
            usleep(2_000)
        }
        Issue.record("\(path) did not appear in \(timeout) s")
    }

    /// The metrics of a published version (its attached `metrics.jsonl`).
    func publishedMetrics(registry: String, reference: String) throws -> [EpochMetrics] {
        let registry = ModelRegistry(root: url(registry))
        let id = try registry.resolve(reference)
        let data = try registry.attachedFile(named: "metrics.jsonl", of: id)
        return try String(decoding: data, as: UTF8.self).split(separator: "\n")
            .map { try JSONDecoder().decode(EpochMetrics.self, from: Data($0.utf8)) }
    }

    /// The weights of a published version.
    func publishedWeights(registry: String, reference: String) throws -> NamedTensors {
        try ModelRegistry(root: url(registry)).load(reference).weights
    }
}
