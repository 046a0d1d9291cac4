import Foundation
import NPEDatasets

/// The end-of-build summary printed on stdout.
enum SummaryText {
    static func lines(_ summary: DatasetBuildSummary) -> String {
        var failures = "\(summary.failedRows)"
        if let row = summary.firstFailedRow { failures += " (flagged in 'flags'; first failed row \(row))" }
        var text = """
            dataset: \(summary.datasetURL.path)
            rows: \(summary.rows)
            failures: \(failures)
            """
        if let error = summary.firstError { text += "\nfirst simulator error: \(error)" }
        text +=
            "\n"
            + String(
                format: "bytes: %d on disk, %d uncompressed, compression ratio %.2f", summary.fileBytes,
                summary.uncompressedBytes, summary.compressionRatio)
        // A rate over the whole dataset only means something when this run computed all of it.
        let rate =
            summary.shardsReused == 0
            ? String(format: "%.0f rows/s", Double(summary.rows) / max(summary.seconds, 1e-9)) : "resumed"
        text +=
            "\n"
            + String(
                format: "time: %.2f s (%@); shards: %d computed, %d reused", summary.seconds, rate,
                summary.shardsComputed, summary.shardsReused)
        if summary.simulationSeconds > 0 {
            text +=
                "\n"
                + String(
                    format: "thread time: %.2f s simulating, %.2f s writing and merging (%.1f%% overhead)",
                    summary.simulationSeconds, summary.storageSeconds,
                    100 * summary.storageSeconds / summary.simulationSeconds)
        }
        text += "\ncontent_sha256: \(summary.contentDigest)"
        return text
    }
}
