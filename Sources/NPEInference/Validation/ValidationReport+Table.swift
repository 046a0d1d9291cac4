import Foundation

extension ValidationReport {
    /// The report as plain-text tables for a terminal: the coverage curves against the band, then one line per
    /// parameter, then the reference score.
    public func table() -> String {
        func f(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }
        func g(_ value: Double) -> String { String(format: "%.4g", value) }
        var lines = [
            "model: \(model.reference) (weights sha256 \(model.weightsSha256.prefix(12))…), noise: \(model.noise ?? "none (noise-free x)")",
            "dataset: \(dataset.path): \(dataset.rowsUsed) rows used of \(dataset.rowsAvailable) (skipped: \(dataset.rowsFlagged) flagged, "
                + "\(dataset.rowsOutsideTrainingRange) outside the training range of x)",
            missingBins.map { "missing bins (not observed in any test spectrum): \(ValidationOptions.describe(bins: $0))" } ?? "complete spectra (no missing bins)",
            "samples: \(samples) per row, seed \(seed); sampling \(f(samplingSeconds, 1)) s, total \(f(totalSeconds, 1)) s",
            "",
            "expected coverage (joint HPD, Hermans et al. 2022) and TARP, with the binomial 95% band of a calibrated model:",
            "  level  coverage  tarp   band",
        ]
        for (i, level) in levels.enumerated() {
            let mark = (bandLower[i]...bandUpper[i]).contains(coverage[i]) ? "" : "  <- outside"
            lines.append("  \(f(level, 2))   \(f(coverage[i]))    \(f(tarp[i]))  [\(f(bandLower[i])), \(f(bandUpper[i]))]\(mark)")
        }
        lines.append("max |coverage - level| = \(f(maxCoverageDeviation)); levels outside the band: "
                     + (levelsOutsideBand.isEmpty ? "none" : levelsOutsideBand.map { f($0, 2) }.joined(separator: ", ")))
        lines.append("")
        let header = "parameter".padding(toLength: 16, withPad: " ", startingAt: 0)
        lines.append("\(header) rmse        prior rmse  mean sd     cov@0.70  cov@0.95  sbc chi2 (p)")
        let i68 = levels.firstIndex { abs($0 - 0.7) < 1e-9 } ?? levels.count / 2
        let i95 = levels.firstIndex { abs($0 - 0.95) < 1e-9 } ?? levels.count - 1
        for p in parameters {
            let name = p.name.padding(toLength: 16, withPad: " ", startingAt: 0)
            lines.append("\(name) \(g(p.rmse).padding(toLength: 11, withPad: " ", startingAt: 0)) "
                         + "\(g(p.priorRmse).padding(toLength: 11, withPad: " ", startingAt: 0)) "
                         + "\(g(p.meanPosteriorStandardDeviation).padding(toLength: 11, withPad: " ", startingAt: 0)) "
                         + "\(f(p.coverage[i68]))     \(f(p.coverage[i95]))     \(f(p.sbcChiSquared, 1)) (\(String(format: "%.3g", p.sbcPValue)))")
        }
        lines.append("(marginal coverage of central intervals at levels \(f(levels[i68], 2)) and \(f(levels[i95], 2)); SBC over \(sbcBins) bins)")
        lines.append("")
        if referenceScore.status == "computed" {
            var text = "reference score over \(referenceScore.rows) rows (\(referenceScore.reference ?? "")): "
            if let adc = referenceScore.adc2023 { text += "ADC2023 \(f(adc, 1))" }
            if let c2st = referenceScore.c2stAccuracy { text += ", C2ST accuracy \(f(c2st))" }
            if let efficiency = referenceScore.meanEfficiency { text += ", mean IS efficiency \(f(efficiency))" }
            text += "; \(referenceScore.simulations) simulations in \(f(referenceScore.seconds, 1)) s"
            lines.append(text)
        } else {
            lines.append("ADC2023 score and C2ST: skipped: \(referenceScore.reason ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}
