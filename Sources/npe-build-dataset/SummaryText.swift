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
        text +=
            "\n"
            + String(
                format: "time: %.2f s (%.0f rows/s); shards: %d computed, %d reused", summary.seconds,
                Double(summary.shardsComputed > 0 ? summary.rows : 0) / max(summary.seconds, 1e-9),
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
