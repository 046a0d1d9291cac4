import Foundation
import NPEInference

/// The catalogue table of a report: one row per target, with the values the index page shows and sorts on.
///
/// Every cell has a display text and a sort key (a number, or the text itself): the page's script sorts on the key,
/// so "1.2e-05" sorts below "0.3" and a missing value (NaN, a skipped target) sorts last in both directions.
public struct ReportTable: Sendable {
    public struct Column: Sendable, Equatable {
        /// A stable key (`id`, `ess`, `ppc_p_value`, `median:<parameter>`, …), used in `index.html#sort=KEY:asc`.
        public var key: String
        public var title: String
        /// A tooltip that says what the column is.
        public var help: String
        public var numeric: Bool
    }

    public struct Cell: Sendable, Equatable {
        public var text: String
        /// The number sorted on; nil for a text column or a missing value.
        public var value: Double?
    }

    public struct Row: Sendable, Equatable {
        public var index: Int
        public var id: String
        public var flagNames: [String]
        public var reasons: [String]
        public var cells: [Cell]
        /// The target page, relative to the site root.
        public var page: String
    }

    public var columns: [Column]
    public var rows: [Row]

    /// Formats a number with 4 significant digits ("–" when missing or not finite).
    static func format(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.4g", value)
    }

    /// Target `t`'s page and image directory under the site root (by row index: ids may hold any character).
    public static func pageName(ofTarget t: Int) -> String { String(format: "targets/T%06d.html", t) }
    public static func imageDirectory(ofTarget t: Int) -> String { String(format: "targets/T%06d", t) }

    public init(_ posterior: PosteriorFile) {
        let d = posterior.parameterNames.count
        var columns = [
            Column(key: "index", title: "#", help: "row in the catalogue", numeric: true),
            Column(key: "id", title: "id", help: "the catalogue's target id", numeric: false),
            Column(key: "flags", title: "flags", help: "health flags (docs/posterior-format.md); ok when none", numeric: false),
        ]
        if posterior.effectiveSampleSize != nil {
            columns += [Column(key: "ess", title: "ESS", help: "Kish effective sample size of the importance weights", numeric: true),
                        Column(key: "efficiency", title: "efficiency", help: "ESS / S", numeric: true)]
        }
        if posterior.predictive != nil {
            columns += [Column(key: "chi2", title: "χ²/n", help: "best posterior draw's χ² over the n observed bins", numeric: true),
                        Column(key: "ppc_p_value", title: "PPC p", help: "posterior predictive p-value", numeric: true)]
        }
        let units = posterior.parameterUnits
        for (j, name) in posterior.parameterNames.enumerated() {
            let unit = units[j].isEmpty ? "" : " [\(units[j])]"
            columns.append(Column(key: "median:\(name)", title: "\(name)\(unit)",
                                  help: "\(name): posterior median and 68% interval (16–84 %)", numeric: true))
            if posterior.thetaTrue != nil {
                columns.append(Column(key: "truth:\(name)", title: "\(name) truth", help: "\(name): the catalogue's true value", numeric: true))
            }
        }
        self.columns = columns
        let statistics = PosteriorFileFormat.summaryStatistics.count
        rows = (0..<posterior.targetCount).map { t in
            let flags = posterior.flags[t]
            let names = flags.isEmpty ? ["ok"] : flags.names
            var cells = [Cell(text: String(t), value: Double(t)), Cell(text: posterior.ids[t], value: nil),
                         Cell(text: names.joined(separator: " "), value: nil)]
            if let ess = posterior.effectiveSampleSize, let efficiency = posterior.efficiency {
                cells += [Cell(text: Self.format(ess[t]), value: ess[t].isFinite ? ess[t] : nil),
                          Cell(text: Self.format(efficiency[t]), value: efficiency[t].isFinite ? efficiency[t] : nil)]
            }
            if let predictive = posterior.predictive {
                let check = predictive.check(t)
                let n = check.observedBins, best = check.bestChiSquared
                let reduced = n > 0 && best.isFinite ? best / Double(n) : Double.nan
                cells += [Cell(text: reduced.isFinite ? String(format: "%.3g (%.1f/%d)", reduced, best, n) : "–",
                               value: reduced.isFinite ? reduced : nil),
                          Cell(text: Self.format(check.pValue), value: check.pValue.isFinite ? check.pValue : nil)]
            }
            for j in 0..<d {
                let base = (t * d + j) * statistics
                let median = posterior.summary[base + 2], low = posterior.summary[base + 4], high = posterior.summary[base + 5]
                let text = median.isFinite ? String(format: "%.4g [%.4g, %.4g]", median, low, high) : "–"
                cells.append(Cell(text: text, value: median.isFinite ? median : nil))
                if let truths = posterior.thetaTrue {
                    let truth = truths[t * d + j]
                    cells.append(Cell(text: Self.format(truth), value: truth.isFinite ? truth : nil))
                }
            }
            let reasons = posterior.flagReasons[t].isEmpty ? [] : posterior.flagReasons[t].components(separatedBy: "; ")
            return Row(index: t, id: posterior.ids[t], flagNames: names, reasons: reasons, cells: cells, page: Self.pageName(ofTarget: t))
        }
    }

    /// Flag name → number of targets raising it, in bit order (only flags that occur).
    public static func flagCounts(_ posterior: PosteriorFile) -> [(name: String, count: Int)] {
        TargetHealth.all.compactMap { flag, name in
            let count = posterior.flags.filter { $0.contains(flag) }.count
            return count > 0 ? (name, count) : nil
        }
    }
}
