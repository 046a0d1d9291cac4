import Foundation
import NPESequential

/// The closing report: outputs, refined and failed targets, ESS, time.
enum RefinementSummaryText {
    static func render(_ summary: RefinementRun.Summary, request: RefinementRequest) -> String {
        func row(_ label: String, _ value: String) -> String { label.padding(toLength: 28, withPad: " ", startingAt: 0) + value }
        let refined = summary.outcomes.filter { $0.model != nil }
        let failed = summary.outcomes.filter { $0.failure != nil }
        var lines = [
            "posteriors: \(summary.inference.output.path)",
            "rounds:     \(request.recordsURL.path)",
            "",
            row("targets refined", "\(refined.count) of \(summary.outcomes.count) selected (\(summary.inference.targetCount) in the catalogue)"),
            row("simulations", "\(summary.outcomes.reduce(0) { $0 + $1.simulations })"),
        ]
        for outcome in failed { lines.append(row("  not refined", "\(outcome.target): \(outcome.failure!)")) }
        if let ess = summary.inference.meanEffectiveSampleSize {
            lines.append(row("mean ESS (all targets)", String(format: "%.1f of %d samples", ess, request.samples)))
        }
        lines.append(row("flagged targets", "\(summary.inference.flaggedTargets)"))
        let perTarget = refined.isEmpty ? 0 : refined.reduce(0) { $0 + $1.seconds } / Double(refined.count)
        lines.append(row("time", String(format: "%.1f s (%.1f s of rounds per refined target)", summary.seconds, perTarget)))
        return lines.joined(separator: "\n")
    }
}
