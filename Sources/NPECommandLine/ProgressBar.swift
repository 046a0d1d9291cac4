import Foundation

/// Progress on stderr for the command-line tools: a redrawn bar when stderr is a terminal, otherwise plain lines
/// at most every ``interval`` seconds (logs of batch jobs stay readable).
///
/// The caller supplies the fraction done and the text after the bar; the bar only decides how and when to draw.
public final class ProgressBar {
    /// Whether stderr is a terminal (then the bar redraws in place).
    public let isTerminal: Bool
    /// Seconds between drawings: frequent redraws on a terminal, a line every ten seconds in a log.
    public let interval: Double
    private var lastDrawn: Date?
    private var drewBar = false

    public init(isTerminal: Bool = isatty(STDERR_FILENO) == 1, plainInterval: Double = 10) {
        self.isTerminal = isTerminal
        interval = isTerminal ? 0.2 : plainInterval
    }

    /// Draws `text` after a bar filled to `fraction` (0…1), unless the last drawing is less than ``interval``
    /// seconds old; `always` draws regardless (e.g. the last step of an epoch).
    public func show(fraction: Double, text: String, always: Bool = false) {
        let now = Date()
        if !always, let last = lastDrawn, now.timeIntervalSince(last) < interval { return }
        lastDrawn = now
        if isTerminal {
            let width = 30
            let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded(.down))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            write("\r\u{1B}[2K[\(bar)] \(text)")
            drewBar = true
        } else {
            write(text + "\n")
        }
    }

    /// Ends the bar's line (nothing to do for plain lines).
    public func finish() {
        if drewBar { write("\n") }
        drewBar = false
        lastDrawn = nil
    }

    /// Writes a whole line on stderr, ending the bar's line first.
    public func message(_ text: String) {
        finish()
        write(text + "\n")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `m:ss`, or `h:mm:ss` from an hour up.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let total = Int(seconds.rounded())
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
