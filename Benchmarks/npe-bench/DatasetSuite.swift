import Foundation
import NPEDatasets
import NPESimulators
import NPETransmission
import NPETensor
import NPESupport

/// `dataset`: issue 4's figures for the ARIEL transmission model and the dataset builder.
///
/// - `forward_model_ms`: one spectrum on one core (``forwardModelMilliseconds()``, as the `forward` suite);
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
        try forwardModelFigure(suite: "dataset").print()

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
