import Foundation

/// The summary CSV written beside the posterior file: one row per target and parameter.
///
/// Columns: `target` (row index), `id`, `parameter`, `unit`, `mean`, `std`, `median`, `p2.5`, `p16`, `p84`,
/// `p97.5` (importance-weighted when `weighting` says so), `truth` (empty when unknown), `weighting`, `ess`,
/// `efficiency` (empty without importance sampling), `ppc_p_value` (the posterior predictive p-value; empty without
/// the check), `flags` (names joined by `|`, `ok` when none). Numbers use
/// Swift's shortest round-trip form; NaN is written `nan` (a skipped target).
public enum PosteriorSummaryTable {
    public static let header = ["target", "id", "parameter", "unit"] + PosteriorFileFormat.summaryStatistics
        + ["truth", "weighting", "ess", "efficiency", "ppc_p_value", "flags"]

    /// The CSV text for a posterior file.
    public static func csv(_ posterior: PosteriorFile) -> String {
        let d = posterior.parameterNames.count
        let weighting = posterior.importanceSampling ? "importance_weighted" : "unweighted"
        func number(_ value: Double?) -> String {
            guard let value else { return "" }
            return value.isNaN ? "nan" : "\(value)"
        }
        func quoted(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var lines = [header.joined(separator: ",")]
        for t in 0..<posterior.targetCount {
            for j in 0..<d {
                let stats = (0..<7).map { number(posterior.summary[(t * d + j) * 7 + $0]) }
                let fields = [String(t), quoted(posterior.ids[t]), posterior.parameterNames[j], quoted(posterior.parameterUnits[j])] + stats
                    + [number(posterior.thetaTrue?[t * d + j]), weighting, number(posterior.effectiveSampleSize?[t]),
                       number(posterior.efficiency?[t]), number(posterior.predictive?.pValue[t]),
                       posterior.flags[t].names.joined(separator: "|")]
                lines.append(fields.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Where the CSV goes: `post.h5` → `post.summary.csv`.
    public static func url(besides output: URL) -> URL {
        let base = output.deletingPathExtension()
        return base.deletingLastPathComponent().appendingPathComponent(base.lastPathComponent + ".summary.csv")
    }

    /// Writes the CSV atomically.
    public static func write(_ posterior: PosteriorFile, besides output: URL) throws -> URL {
        let url = url(besides: output)
        try OutputFile.write(Data(csv(posterior).utf8), to: url)
        return url
    }
}
