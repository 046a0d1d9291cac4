import Foundation
import NPEDatasets
import NPESimulators
import NPETransmission
import NPETensor
import NPESupport

/// `dataset`: issue 4's figures for the ARIEL transmission model and the dataset builder.
///
/// - `forward_model_ms`: one spectrum on one core, averaged over 256 distinct prior draws (cycled);
/// - `build_rows_per_s`: rows per second of `DatasetBuilder` end to end (simulation, shards with shuffle+LZ4,
///   merge into dataset.h5), with `THREADS` threads, for `DATASET_ROWS` rows (default 100,000);
/// - `storage_overhead_pct`: thread-seconds spent writing shards and merging, as a percentage of thread-seconds
///   spent simulating;
/// - `compression_ratio`: uncompressed row bytes / bytes of dataset.h5;
/// - `peak_memory_mb`: the process's peak resident memory after the build (VmHWM).
enum DatasetSuite {
    static func run() throws {
        let simulator = try ArielTransmissionSimulator()
        let prior = try Prior.arielADC2023()
        // Inputs of 256 draws, in the simulator's order, from the same generator the builder uses.
        let positions = try prior.parameterIndices(forInputs: simulator.inputNames, simulator: simulator.name)
        let draws: [[Double]] = (0..<256).map { row in
            let stream = RandomStream(seed: 1).child(UInt64(row))
            let values = prior.draw(uniforms: (0..<prior.uniformCount).map { stream.uniformDouble(UInt64($0)) })
            return positions.map { values[$0] }
        }
        var output = [Double](repeating: 0, count: simulator.outputCount)
        var next = 0
        let seconds = try secondsPerCall(warmup: 64, rounds: 5, minimumSeconds: 0.5) {
            try draws[next].withUnsafeBufferPointer { inputs in
                try output.withUnsafeMutableBufferPointer { try simulator.simulate(inputs, into: $0) }
            }
            next = (next + 1) % draws.count
        }
        Figure(
            suite: "dataset", name: "forward_model_ms", value: seconds * 1e3, unit: "ms",
            extra: ["threads": 1, "bins": simulator.outputCount]
        ).print()

        let rows = Int(ProcessInfo.processInfo.environment["DATASET_ROWS"] ?? "") ?? 100_000
        let threads = benchmarkThreads
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npe-bench-dataset-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let builder = try DatasetBuilder(
            source: prior, simulator: simulator, noiseModel: .none, rows: rows, seed: 1,
            directory: directory)
        guard let summary = try builder.run(options: DatasetBuildOptions(threads: threads, progressInterval: 3600))
        else { return }
        Figure(
            suite: "dataset", name: "build_rows_per_s", value: Double(rows) / summary.seconds, unit: "rows/s",
            extra: [
                "rows": rows, "threads": threads, "seconds": (summary.seconds * 100).rounded() / 100,
                "failed_rows": summary.failedRows,
                "projected_1M_rows_s": (1e6 / (Double(rows) / summary.seconds)).rounded(),
            ]
        ).print()
        Figure(
            suite: "dataset", name: "storage_overhead_pct",
            value: 100 * summary.storageSeconds / max(summary.simulationSeconds, 1e-9), unit: "%",
            extra: [
                "simulation_thread_s": (summary.simulationSeconds * 100).rounded() / 100,
                "storage_thread_s": (summary.storageSeconds * 100).rounded() / 100,
            ]
        ).print()
        Figure(
            suite: "dataset", name: "compression_ratio", value: summary.compressionRatio, unit: "x",
            extra: ["file_bytes": summary.fileBytes, "uncompressed_bytes": summary.uncompressedBytes]
        ).print()
        Figure(
            suite: "dataset", name: "peak_memory_mb", value: peakMemoryMiB(), unit: "MiB",
            extra: ["rows": rows]
        ).print()
    }
}
