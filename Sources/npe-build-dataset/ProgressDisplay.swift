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
        let text =
            "\(progress.phase.rawValue) \(progress.completedRows)/\(progress.totalRows) rows "
            + String(
                format: "%5.1f%%  %.0f rows/s  ETA %@  failures %d", 100 * fraction, progress.rowsPerSecond,
                eta, progress.failedRows)
        if isTerminal {
            let width = 30
            let filled = Int((fraction * Double(width)).rounded(.down))
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
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
