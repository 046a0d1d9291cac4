import Foundation
import NPEInference

/// The values the templates render (`Resources/site/*.mustache`): plain dictionaries of strings, numbers, booleans
/// and lists, so every number is formatted here, once, and the templates stay logic-less.
struct ReportContext {
    let input: ReportInput
    let table: ReportTable
    let now: Date
    let plotSeconds: Double
    let plottedTargets: Int

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    var posterior: PosteriorFile { input.posterior }

    /// The summary header, shared by every page.
    func header() -> [String: Any] {
        let file = input.posteriorURL
        let modified = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date) ?? nil
        var facts: [[String: Any]] = [
            ["label": "model", "value": "\(posterior.modelReference) (\(posterior.modelKind))"],
            ["label": "model card SHA-256", "value": posterior.modelCardSHA256 ?? "not recorded", "code": true],
            ["label": "model weights SHA-256", "value": posterior.modelWeightsSHA256, "code": true],
            ["label": "posterior file", "value": "\(file.path) (format version \(posterior.formatVersion)\(modified.map { ", written " + Self.timestamp($0) } ?? ""))"],
            ["label": "run digest", "value": posterior.runDigest, "code": true],
            ["label": "time spent", "value": posterior.runSeconds.map { String(format: "%.1f s of inference (the run that wrote the file)", $0) } ?? "not recorded"],
            ["label": "catalogue", "value": "\(posterior.cataloguePath) (SHA-256 \(posterior.catalogueSHA256.prefix(16))…)"],
            ["label": "targets", "value": "\(posterior.targetCount), \(posterior.samplesPerTarget) samples each, "
                + (posterior.importanceSampling ? "importance-weighted" : "unweighted") + ", seed \(posterior.seed)"],
        ]
        if let predictive = posterior.predictive {
            facts.append(["label": "predictive check",
                          "value": "\(predictive.draws) draws per target (\(posterior.predictiveDrawWeighting ?? "?")), "
                              + "\(posterior.predictiveReplicates ?? 0) replicates each; model_misfit below p = \(ReportTable.format(posterior.misfitThreshold))"])
        } else {
            facts.append(["label": "predictive check", "value": "not in this file (npe-infer --predictive-draws N)"])
        }
        let flagged = posterior.flags.filter { !$0.isEmpty }.count
        return [
            "facts": facts,
            "flagCounts": ReportTable.flagCounts(posterior).map { ["name": $0.name, "count": $0.count] as [String: Any] },
            "flaggedTargets": flagged, "targetCount": posterior.targetCount,
            "generated": Self.timestamp(now), "tool": posterior.toolVersion,
            "plotNote": plottedTargets > 0 ? String(format: "images of %d targets drawn in %.1f s", plottedTargets, plotSeconds)
                : "no target images drawn (see each target page for the command)",
        ]
    }

    func index() -> [String: Any] {
        var context = header()
        context["title"] = "ExoNPE report: \(posterior.modelReference)"
        context["root"] = ""
        context["columns"] = table.columns.map { column -> [String: Any] in
            ["key": column.key, "title": column.title, "help": column.help, "numeric": column.numeric ? "1" : "0"]
        }
        context["rows"] = table.rows.map { row -> [String: Any] in
            let cells = row.cells.enumerated().map { k, cell -> [String: Any] in
                var out: [String: Any] = ["text": cell.text, "hasValue": cell.value != nil, "value": cell.value.map { "\($0)" } ?? ""]
                switch table.columns[k].key {
                case "id": out["link"] = true
                case "flags": out["flags"] = row.flagNames.map { ["name": $0] }; out["reasons"] = row.reasons.map { ["text": $0] }
                default: break
                }
                out["plain"] = out["link"] == nil && out["flags"] == nil
                return out
            }
            return ["cells": cells, "page": row.page, "flagged": row.flagNames != ["ok"] ? "1" : "0", "id": row.id]
        }
        if let evaluation = input.evaluation { context["calibration"] = calibration(evaluation) }
        return context
    }

    func calibration(_ report: ValidationReport) -> [String: Any] {
        let parameters = report.parameters.map { p -> [String: Any] in
            ["name": p.name, "sbcPValue": ReportTable.format(p.sbcPValue), "sbcChiSquared": ReportTable.format(p.sbcChiSquared),
             "rmse": ReportTable.format(p.rmse), "priorRmse": ReportTable.format(p.priorRmse),
             "meanSd": ReportTable.format(p.meanPosteriorStandardDeviation)]
        }
        let score = report.referenceScore
        return [
            "source": input.evaluationURL?.path ?? "",
            "model": report.model.reference,
            "sameModel": report.model.reference == posterior.modelReference,
            "rows": report.dataset.rowsUsed, "samples": report.samples,
            "maxDeviation": ReportTable.format(report.maxCoverageDeviation),
            "outside": report.levelsOutsideBand.isEmpty ? "none" : report.levelsOutsideBand.map { ReportTable.format($0) }.joined(separator: ", "),
            "adc": score.adc2023.map { ReportTable.format($0) } ?? "not computed (\(score.reason ?? score.status))",
            "c2st": score.c2stAccuracy.map { ReportTable.format($0) } ?? "–",
            "parameters": parameters,
        ]
    }

    func target(_ t: Int) -> [String: Any] {
        var context = header()
        let row = table.rows[t]
        let d = posterior.parameterNames.count, statistics = PosteriorFileFormat.summaryStatistics.count
        context["title"] = "\(row.id): ExoNPE report"
        context["root"] = "../"
        context["id"] = row.id
        context["index"] = t
        context["flags"] = row.flagNames.map { ["name": $0] }
        context["reasons"] = row.reasons.map { ["text": $0] }
        context["images"] = ReportTable.imageDirectory(ofTarget: t).replacingOccurrences(of: "targets/", with: "")
        context["onDemand"] = "scripts/report-plots \(input.posteriorURL.path) SITE \(t)"
        // Absent keys, not empty strings: a Mustache section renders for any present string.
        if t > 0 { context["previous"] = ReportTable.pageName(ofTarget: t - 1).replacingOccurrences(of: "targets/", with: "") }
        if t + 1 < posterior.targetCount {
            context["next"] = ReportTable.pageName(ofTarget: t + 1).replacingOccurrences(of: "targets/", with: "")
        }
        context["parameters"] = (0..<d).map { j -> [String: Any] in
            let s = Array(posterior.summary[((t * d + j) * statistics)..<((t * d + j + 1) * statistics)])
            let unit = posterior.parameterUnits[j]
            return ["name": posterior.parameterNames[j], "unit": unit, "hasUnit": !unit.isEmpty,
                    "median": ReportTable.format(s[2]), "interval68": "\(ReportTable.format(s[4])) – \(ReportTable.format(s[5]))",
                    "interval95": "\(ReportTable.format(s[3])) – \(ReportTable.format(s[6]))",
                    "mean": "\(ReportTable.format(s[0])) ± \(ReportTable.format(s[1]))",
                    "truth": posterior.thetaTrue.map { ReportTable.format($0[t * d + j]) } ?? "–"]
        }
        var diagnostics: [[String: Any]] = []
        if let ess = posterior.effectiveSampleSize, let efficiency = posterior.efficiency, let evidence = posterior.logEvidence {
            diagnostics += [["label": "ESS", "value": ReportTable.format(ess[t])],
                            ["label": "efficiency (ESS/S)", "value": ReportTable.format(efficiency[t])],
                            ["label": "log evidence", "value": ReportTable.format(evidence[t])]]
        }
        if let predictive = posterior.predictive {
            let check = predictive.check(t)
            let accepted = check.chiSquared.filter(\.isFinite)
            diagnostics += [["label": "posterior predictive p", "value": ReportTable.format(check.pValue)],
                            ["label": "best draw χ² / observed bins", "value": "\(ReportTable.format(check.bestChiSquared)) / \(check.observedBins)"],
                            ["label": "median draw χ²", "value": ReportTable.format(accepted.sorted().dropFirst(accepted.count / 2).first)],
                            ["label": "draws simulated", "value": "\(accepted.count) of \(predictive.draws)"]]
        }
        context["diagnostics"] = diagnostics
        return context
    }
}
