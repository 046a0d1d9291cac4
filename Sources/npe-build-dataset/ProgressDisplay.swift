import Foundation
import NPECommandLine
import NPEDatasets

/// The build's progress line (phase, rows, rate, ETA, failures), drawn by the shared ``ProgressBar``.
final class ProgressDisplay {
    private let bar = ProgressBar()
    /// Seconds between callbacks: a terminal bar redraws often, a log gets a line every ten seconds.
    var interval: Double { bar.interval }

    func show(_ progress: DatasetBuildProgress) {
        let fraction = progress.totalRows > 0 ? Double(progress.completedRows) / Double(progress.totalRows) : 1
        let eta = progress.estimatedSecondsLeft.map(ProgressBar.duration) ?? "--:--"
        let text =
            "\(progress.phase.rawValue) \(progress.completedRows)/\(progress.totalRows) rows "
            + String(
                format: "%5.1f%%  %.0f rows/s  ETA %@  failures %d", 100 * fraction, progress.rowsPerSecond,
                eta, progress.failedRows)
        // The builder already calls back every `interval` seconds.
        bar.show(fraction: fraction, text: text, always: true)
    }

    /// Ends the bar's line.
    func finish() { bar.finish() }
}
