import Foundation
import NPEDatasets
import NPEParallel
import NPESimulators
import NPETensor
import NPETraining

/// `train`: issue 5's figures, on the same data the sbi peer trains on.
///
/// The task is `../shared/bench/make_task.py`'s ARIEL-like set (100,000 rows, θ 7, x 52, Gaussian noise already in
/// x), written by `run-peers --task-h5` and imported with `DatasetImporter` (so training adds no noise), cached in
/// `.build-bench/cache/train-task/`. The network matches the peer's `posterior_nn(model="nsf",
/// hidden_features=50, num_transforms=5)`: a coupling NSF (`nsfc`, as sbi's) with 5 transforms, hidden [50, 50],
/// 10 bins, no embedding net, batch 256 (`TRAIN_FLOW=nsf` measures the autoregressive NSF instead).
///
/// - `train_epoch_s_1worker`: seconds per epoch (training steps plus the validation pass) with one worker and
///   `THREADS` BLAS threads; the best of `TRAIN_EPOCHS` (default 2) epochs, plus samples/s;
/// - `train_epoch_s_2workers`: the same with two thread workers, BLAS one thread each;
/// - `peak_memory_mb`: the process's peak resident memory (VmHWM) after both runs.
enum TrainSuite {
    static func run() throws {
        let dataset = try taskDataset()
        let flow = ProcessInfo.processInfo.environment["TRAIN_FLOW"] ?? "nsfc"
        let epochs = Int(ProcessInfo.processInfo.environment["TRAIN_EPOCHS"] ?? "") ?? 2
        var configuration = try TrainingConfiguration(yaml: """
            flow: {kind: \(flow), transforms: 5, hidden_widths: [50, 50], bins: 10}
            embedding: {kind: identity}
            noise: {model: none}
            training: {batch_size: 256, learning_rate: 5e-4, schedule: constant, epochs: \(epochs), patience: 100}
            """, source: "<bench>")
        configuration.training.seed = 1
        for workers in [1, 2] {
            let checkpoints = FileManager.default.temporaryDirectory.appendingPathComponent("npe-bench-train-\(getpid())-\(workers)")
            defer { try? FileManager.default.removeItem(at: checkpoints) }
            let request = TrainingRequest(
                dataset: dataset, registry: checkpoints.appendingPathComponent("registry"), modelName: "bench",
                configuration: configuration, checkpointDirectory: checkpoints, resume: false)
            let session = try TrainingSession(request: request)
            Engine.configure(blasThreads: workers > 1 ? 1 : benchmarkThreads)
            let outcome = try ThreadCommunicatorGroup(size: workers).run { try session.train(communicator: $0) }[0]
            let best = outcome.result.history.min { $0.seconds < $1.seconds }!
            Figure(
                suite: "train", name: "train_epoch_s_\(workers)worker\(workers == 1 ? "" : "s")", value: best.seconds,
                unit: "s",
                extra: ["samples_per_s": best.samplesPerSecond.rounded(), "rows": session.rowCount, "flow": flow,
                        "blas_threads": workers > 1 ? 1 : benchmarkThreads, "epochs": epochs,
                        "epoch_s_all": outcome.result.history.map { ($0.seconds * 100).rounded() / 100 },
                        "validation_loss": Double(outcome.result.bestValidationLoss)]
            ).print()
        }
        Figure(suite: "train", name: "peak_memory_mb", value: peakMemoryMiB(), unit: "MiB").print()
    }

    /// The imported task dataset, made once and cached.
    static func taskDataset() throws -> URL {
        let directory = URL(fileURLWithPath: ".build-bench/cache/train-task")
        let file = directory.appendingPathComponent("dataset.h5")
        if FileManager.default.fileExists(atPath: file.path) { return directory }
        let h5 = URL(fileURLWithPath: ".build-bench/cache/train-task.h5")
        try FileManager.default.createDirectory(at: h5.deletingLastPathComponent(), withIntermediateDirectories: true)
        let script = ProcessInfo.processInfo.environment["RUN_PEERS"] ?? "../shared/bench/run-peers"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", script, "--task-h5", h5.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(script) --task-h5 failed"])
        }
        // make_task.py's box prior, in its column order.
        let names = ["radius", "temperature", "logX1", "logX2", "logX3", "logX4", "logX5"]
        let bounds: [(Double, Double)] = [(0.1, 3), (300, 2500)] + Array(repeating: (-12, -1), count: 5)
        let prior = try Prior(yaml: "parameters:\n" + zip(names, bounds).map { "  - {name: \($0), prior: {uniform: [\($1.0), \($1.1)]}}" }
            .joined(separator: "\n"), source: "make_task.py")
        _ = try DatasetImporter(source: .hdf5(h5), prior: prior, simulatorName: "make_task.py", simulatorVersion: "1")
            .importDataset(into: directory)
        try? FileManager.default.removeItem(at: h5)
        return directory
    }
}
