import Foundation
import NPEData
import NPETestSupport
import Testing
@testable import NPEReport
import NPEInference

/// Where the plotting Python and headless Chromium are: `EXONPE_PLOT_PYTHON` (scripts/test sets it from
/// scripts/plot-env) and Debian's `chromium` (scripts/install-deps installs it).
enum ReportTools {
    static var python: String? { ProcessInfo.processInfo.environment["EXONPE_PLOT_PYTHON"] }
    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
    static var available: Bool { python != nil && chromium != nil }
    /// The repository's scripts/, found from this source file.
    static var scripts: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts")
    }

    /// The DOM after the page's scripts ran (`chromium --headless --dump-dom`).
    static func dom(_ page: URL, fragment: String = "") throws -> String {
        let result = try runProcess(URL(fileURLWithPath: chromium!), [
            "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files", "--virtual-time-budget=5000",
            "--dump-dom", page.absoluteString + fragment,
        ])
        guard result.status == 0 else { throw ChromiumFailed(message: result.errors) }
        return result.output
    }

    struct ChromiumFailed: Error { var message: String }
}

/// The ids of the catalogue table's rows, in document order.
func rowIDs(_ dom: String) -> [String] {
    dom.components(separatedBy: "<tr data-flagged=").dropFirst().compactMap { row in
        guard let start = row.range(of: "data-id=\"")?.upperBound, let end = row[start...].firstIndex(of: "\"") else { return nil }
        return String(row[start..<end])
    }
}

/// The `src` of every `<img>` in a page.
func imageSources(_ html: String) -> [String] {
    html.components(separatedBy: "<img src=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
}

@Suite(.serialized) struct ReportSiteTests {
    let fixture = ReportFixture()

    /// The whole tool: a small run's report opened in headless Chromium.
    @Test(.enabled(if: ReportTools.available)) func theReportOpensInABrowser() throws {
        let directory = try makeTemporaryDirectory("report")
        defer { try? FileManager.default.removeItem(at: directory) }
        let posterior = try fixture.posterior(in: directory)
        let evaluation = try fixture.evaluation(in: directory)
        let site = directory.appendingPathComponent("report")
        let result = try runProcess(builtExecutable(named: "npe-report"), [
            posterior.path, "--evaluation", evaluation.path, "--out", site.path, "--plot-workers", "2",
            "--python", ReportTools.python!, "--scripts", ReportTools.scripts.path,
        ])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("report: \(site.appendingPathComponent("index.html").path)"))
        let index = site.appendingPathComponent("index.html")

        // One row per target, in catalogue order; a flagged target's reason is on the page.
        let dom = try ReportTools.dom(index)
        let ids = fixture.ids
        #expect(rowIDs(dom) == ids)
        #expect(dom.contains("6 of 6 targets shown"))  // the script ran
        #expect(dom.contains("invalid_input: x[0] is inf"))
        #expect(dom.contains("model_misfit: posterior predictive p = "))
        #expect(dom.contains("Calibration of the model") && dom.contains("calibration/coverage.png"))

        // Sorting by the p-value changes the order to ascending p, the unsampled target (no p) last.
        let file = try PosteriorFile.read(from: posterior, includingSamples: false)
        let p = try #require(file.predictive).pValue
        let expected = (0..<6).sorted { a, b in
            switch (p[a].isNaN, p[b].isNaN) {
            case (true, true): return a < b
            case (true, false): return false
            case (false, true): return true
            case (false, false): return p[a] < p[b] || (p[a] == p[b] && a < b)
            }
        }.map { ids[$0] }
        let sorted = rowIDs(try ReportTools.dom(index, fragment: "#sort=ppc_p_value:asc"))
        #expect(sorted == expected && sorted != ids)
        #expect(rowIDs(try ReportTools.dom(index, fragment: "#sort=ppc_p_value:desc")).first == expected[4])
        // The filter: flagged targets only by their reason.
        #expect(try ReportTools.dom(index, fragment: "#filter=model_misfit").contains("2 of 6 targets shown"))

        // Each target page links its images, and they exist.
        for t in 0..<6 {
            let page = site.appendingPathComponent(ReportTable.pageName(ofTarget: t))
            let html = try String(contentsOf: page, encoding: .utf8)
            #expect(html.contains(ids[t]))
            let images = imageSources(html)
            #expect(images.count == 2)
            for image in images where t != 1 {
                let url = page.deletingLastPathComponent().appendingPathComponent(image)
                let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
                #expect((size ?? 0) > 1000, "\(url.path)")
            }
        }
        // The unsampled target has no images: its page says how to draw them instead.
        #expect(try ReportTools.dom(site.appendingPathComponent(ReportTable.pageName(ofTarget: 1))).contains("scripts/report-plots"))
        for image in ["calibration/coverage.png", "calibration/sbc.png"] {
            #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent(image).path))
        }

        // Writing again replaces the earlier report; a directory that is not a report is never replaced.
        let again = try runProcess(builtExecutable(named: "npe-report"), [posterior.path, "--out", site.path, "--plots", "none"])
        #expect(again.status == 0, "\(again.errors)")
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("calibration").path))
    }

    /// Bad input gets a clear error naming the file: an unknown posterior version, a missing evaluation, a missing
    /// posterior, an output directory that is not a report.
    @Test func badInputIsRefusedClearly() throws {
        let directory = try makeTemporaryDirectory("reportbad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let posterior = try fixture.posterior(in: directory)
        let future = directory.appendingPathComponent("future.h5")
        try FileManager.default.copyItem(at: posterior, to: future)
        let file = try HDF5File.openForUpdate(at: future)
        try file.root().attributes.set("format_version", to: .int64(7))
        try file.commit()
        let stranger = directory.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: stranger, withIntermediateDirectories: true)
        let out = directory.appendingPathComponent("site").path
        let cases: [(String, [String], String)] = [
            ("unknown version", [future.path, "--out", out, "--plots", "none"], "\(future.path): cannot read the posterior file: format 'exonpe-posterior' version 7"),
            ("missing evaluation", [posterior.path, "--evaluation", directory.appendingPathComponent("eval.json").path, "--out", out, "--plots", "none"],
             "\(directory.appendingPathComponent("eval.json").path): no such evaluation file"),
            ("evaluation not JSON of a report", [posterior.path, "--evaluation", posterior.path, "--out", out, "--plots", "none"],
             "\(posterior.path): not an npe-validate evaluation"),
            ("missing posterior", [directory.appendingPathComponent("none.h5").path, "--out", out], "none.h5: no such posterior file"),
            ("not a report", [posterior.path, "--out", stranger.path, "--plots", "none"], "\(stranger.path): exists and is not an npe-report site"),
            ("plots option", [posterior.path, "--out", out, "--plots", "some"], "--plots: 'some' is not one of"),
        ]
        for (label, arguments, message) in cases {
            let result = try runProcess(builtExecutable(named: "npe-report"), arguments)
            #expect(result.status == 1, "\(label)")
            #expect(result.errors.contains(message), "\(label): \(result.errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: stranger.path).isEmpty)
    }

    /// Without plots, the site is complete and every page links the images it will show once drawn on demand.
    @Test func aReportWithoutPlotsLinksTheImagesToDrawLater() throws {
        let directory = try makeTemporaryDirectory("reportnone")
        defer { try? FileManager.default.removeItem(at: directory) }
        let posterior = try fixture.posterior(in: directory)
        let input = try ReportInput.load(posterior: posterior, evaluation: nil)
        let site = directory.appendingPathComponent("site")
        let summary = try ReportSite.write(input, to: site, plots: .none, plotter: nil)
        #expect(summary.targetCount == 6 && summary.flaggedTargets == 3 && summary.plottedTargets == 0)
        let index = try String(contentsOf: summary.index, encoding: .utf8)
        #expect(rowIDs(index) == fixture.ids && !index.contains("Calibration of the model"))
        let table = ReportTable(input.posterior)
        #expect(table.columns.map(\.key) == ["index", "id", "flags", "ess", "efficiency", "chi2", "ppc_p_value",
                                             "median:theta_1", "truth:theta_1", "median:theta_2", "truth:theta_2"])
        #expect(table.rows[1].flagNames == ["invalid_input"] && table.rows[1].cells[6].value == nil)
        #expect(table.rows[4].flagNames.contains("model_misfit"))
        let page = try String(contentsOf: site.appendingPathComponent(ReportTable.pageName(ofTarget: 3)), encoding: .utf8)
        #expect(imageSources(page) == ["T000003/ppc.png", "T000003/corner.png"])
        #expect(page.contains("theta_2 [K]"))
        for name in ["report.css", "report.js", ReportSite.markerName] {
            #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent(name).path))
        }
        // No stray staging directory is left beside the site.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["post.h5", "post.summary.csv", "site"])
    }
}

extension ReportFixture {
    var ids: [String] { ["HD 209458 b", "WASP-39 b", "K2-18 b", "TOI-270 d", "GJ 1214 b", "WASP-107 b"] }
}
