import Foundation
import NPEInference

/// The closing report: where the outputs are and a short table.
enum SummaryText {
    static func render(_ summary: InferenceRunSummary, job: InferenceJob) -> String {
        func row(_ label: String, _ value: String) -> String { label.padding(toLength: 28, withPad: " ", startingAt: 0) + value }
        var lines = [
            "posteriors: \(summary.output.path)",
            "summary:    \(summary.summaryCSV.path)",
            "",
            row("model", "\(job.model.reference) (\(job.model.kind))"),
            row("targets", "\(summary.targetCount)" + (summary.resumedTargets > 0 ? " (\(summary.resumedTargets) from an earlier run)" : "")),
            row("samples per target", "\(job.settings.samplesPerTarget)"),
            row("flagged targets", "\(summary.flaggedTargets)"),
        ]
        for (name, count) in summary.flagCounts.sorted(by: { $0.key < $1.key }) { lines.append(row("  \(name)", "\(count)")) }
        if let ess = summary.meanEffectiveSampleSize, let efficiency = summary.meanEfficiency {
            lines.append(row("mean ESS", String(format: "%.1f (efficiency %.3f)", ess, efficiency)))
        }
        if let cost = summary.importanceMillisecondsPerTarget {
            lines.append(row("importance sampling", String(format: "%.1f ms per target", cost)))
        }
        if let threshold = summary.misfitThreshold, let p = summary.predictivePValues {
            let finite = p.filter(\.isFinite).sorted()
            let misfits = finite.filter { $0 < threshold }.count
            let median = finite.isEmpty ? Double.nan : finite[finite.count / 2]
            lines.append(row("predictive check", String(format: "%d draws per target: %d of %d targets below p = %g (median p %.3g, %.1f s)",
                                                        job.settings.predictiveDraws, misfits, finite.count, threshold, median,
                                                        summary.predictiveSeconds)))
        }
        lines.append(row("time", String(format: "%.1f s (sampling %.1f s)", summary.seconds, summary.samplingSeconds)))
        return lines.joined(separator: "\n")
    }
}
