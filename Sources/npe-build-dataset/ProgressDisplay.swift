import Foundation
import NPEDatasets

/// Progress on stderr: a redrawn bar with rate and ETA when stderr is a terminal, otherwise a plain line every
/// ten seconds (logs of batch jobs stay readable).
final class ProgressDisplay {
    let isTerminal = isatty(STDERR_FILENO) == 1
    /// Seconds between callbacks: a terminal bar redraws often, a log gets a line every ten seconds.
    var interval: Double { isTerminal ? 0.2 : 10 }
    private var drewBar = false

    func show(_ progress: DatasetBuildProgress) {
        let fraction = progress.totalRows > 0 ? Double(progress.completedRows) / Double(progress.totalRows) : 1
        let eta = progress.estimatedSecondsLeft.map(Self.duration) ?? "--:--"
        let text = "\(progress.phase.rawValue) \(progress.completedRows)/\(progress.totalRows) rows "
            + String(format: "%5.1f%%  %.0f rows/s  ETA %@  failures %d", 100 * fraction, progress.rowsPerSecond,
                     eta, progress.failedRows)
        if isTerminal {
            let width = 30, filled = Int((fraction * Double(width)).rounded(.down))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            write("\r\u{1B}[2K[\(bar)] \(text)")
            drewBar = true
        } else {
            write(text + "\n")
        }
    }

    /// Ends the bar's line.
    func finish() {
        if drewBar { write("\n") }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}

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
        text += "\n" + String(format: "bytes: %d on disk, %d uncompressed, compression ratio %.2f", summary.fileBytes,
                              summary.uncompressedBytes, summary.compressionRatio)
        text += "\n" + String(format: "time: %.2f s (%.0f rows/s); shards: %d computed, %d reused", summary.seconds,
                              Double(summary.shardsComputed > 0 ? summary.rows : 0) / max(summary.seconds, 1e-9),
                              summary.shardsComputed, summary.shardsReused)
        if summary.simulationSeconds > 0 {
            text += "\n" + String(format: "thread time: %.2f s simulating, %.2f s writing and merging (%.1f%% overhead)",
                                  summary.simulationSeconds, summary.storageSeconds,
                                  100 * summary.storageSeconds / summary.simulationSeconds)
        }
        text += "\ncontent_sha256: \(summary.contentDigest)"
        return text
    }
}
