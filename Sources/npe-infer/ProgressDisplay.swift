import Foundation
import NPEInference

/// Progress on stderr: a redrawn bar with rate and ETA when stderr is a terminal, otherwise a plain line every
/// ten seconds (logs of batch jobs stay readable).
final class ProgressDisplay {
    let isTerminal = isatty(STDERR_FILENO) == 1
    /// Seconds between redraws.
    var interval: Double { isTerminal ? 0.2 : 10 }
    private var drewBar = false

    func show(_ progress: InferenceProgress) {
        let fraction = progress.totalTargets > 0 ? Double(progress.completedTargets) / Double(progress.totalTargets) : 1
        let eta = progress.estimatedSecondsLeft.map(Self.duration) ?? "--:--"
        let text = "targets \(progress.completedTargets)/\(progress.totalTargets) "
            + String(format: "%5.1f%%  %.1f targets/s  ETA %@  flagged %d", 100 * fraction, progress.targetsPerSecond, eta,
                     progress.flaggedTargets)
            + (progress.resumedTargets > 0 ? "  (resumed \(progress.resumedTargets))" : "")
        if isTerminal {
            let width = 30
            let filled = Int((fraction * Double(width)).rounded(.down))
            write("\r\u{1B}[2K[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] " + text)
            drewBar = true
        } else {
            write(text + "\n")
        }
    }

    func finish() {
        if drewBar { write("\n") }
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
