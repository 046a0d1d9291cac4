import Foundation
import Mustache
import NPEInference

/// Which targets get images when the report is written (the others can be drawn later on demand, see
/// `docs/report.md`).
public enum PlotSelection: String, Sendable, CaseIterable {
    /// `all` for catalogues of at most ``autoLimit`` targets, else `flagged`: a corner plot costs about a CPU second
    /// (docs/report.md), so a 1000-target survey would take minutes on 2 cores for pages nobody opens.
    case auto, all, flagged, none

    public static let autoLimit = 200

    /// The concrete choice for a catalogue of `targets`.
    public func resolved(targets: Int) -> PlotSelection {
        self == .auto ? (targets <= Self.autoLimit ? .all : .flagged) : self
    }
}

/// What ``ReportSite/write(_:to:plots:plotter:)`` did.
public struct ReportSummary: Sendable {
    public var site: URL
    public var index: URL
    public var targetCount: Int
    public var flaggedTargets: Int
    /// Targets whose corner and predictive images were drawn, and the wall seconds that took.
    public var plottedTargets: Int
    public var plotSeconds: Double
    public var seconds: Double
}

/// Writes the static report site (`docs/report.md`): `index.html` (summary header, calibration section, the sortable
/// and filterable catalogue table), one page per target under `targets/`, the images, the stylesheet and script.
///
/// The site is written into a temporary sibling directory and renamed into place when complete, so `OUT` is either
/// the previous report or the whole new one. An existing `OUT` is replaced only when it holds the marker file of a
/// report this tool wrote.
public enum ReportSite {
    /// The marker file that says a directory is an npe-report site (its content: the site layout version).
    public static let markerName = ".exonpe-report"
    public static let layoutVersion = 1

    public static func write(_ input: ReportInput, to out: URL, plots: PlotSelection, plotter: ReportPlotter?,
                             now: Date = Date()) throws -> ReportSummary {
        let started = DispatchTime.now().uptimeNanoseconds
        func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let out = out.standardizedFileURL
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: out.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, manager.fileExists(atPath: out.appendingPathComponent(markerName).path) else {
                throw ReportError.outputNotAReport(path: out.path)
            }
        }
        let plots = plots.resolved(targets: input.posterior.targetCount)
        if plots != .none && plotter == nil { throw ReportError.plotting(reason: "no plotting Python was given") }
        let staging = out.deletingLastPathComponent().appendingPathComponent(".\(out.lastPathComponent).partial-\(getpid())")
        try? manager.removeItem(at: staging)
        do {
            try manager.createDirectory(at: staging.appendingPathComponent("targets"), withIntermediateDirectories: true)
        } catch {
            throw ReportError.output(path: staging.path, reason: "cannot create the report directory: \(error.localizedDescription)")
        }
        defer { try? manager.removeItem(at: staging) }

        let posterior = input.posterior
        let table = ReportTable(posterior)
        let chosen: [Int]
        switch plots {
        case .all: chosen = Array(0..<posterior.targetCount)
        case .flagged: chosen = (0..<posterior.targetCount).filter { !posterior.flags[$0].isEmpty }
        case .none, .auto: chosen = []  // auto is resolved above
        }
        let plotStart = DispatchTime.now().uptimeNanoseconds
        let images = try plotter?.plotTargets(posterior: input.posteriorURL.standardizedFileURL, site: staging, targets: chosen) ?? []
        if let evaluation = input.evaluationURL, let plotter, plots != .none {
            try plotter.plotCalibration(evaluation: evaluation.standardizedFileURL, site: staging)
        }
        let plotSeconds = seconds(since: plotStart)

        let templates = try ReportTemplates.load()
        let context = ReportContext(input: input, table: table, now: now, plotSeconds: plotSeconds, plottedTargets: images.count)
        try save(templates.render(context.index(), page: "index"), to: staging.appendingPathComponent("index.html"))
        for t in 0..<posterior.targetCount {
            try save(templates.render(context.target(t), page: "target"), to: staging.appendingPathComponent(ReportTable.pageName(ofTarget: t)))
        }
        for asset in ReportTemplates.assets {
            try save(try ReportTemplates.asset(asset), to: staging.appendingPathComponent(asset))
        }
        try save(String(layoutVersion) + "\n", to: staging.appendingPathComponent(markerName))
        try publish(staging, as: out)
        return ReportSummary(site: out, index: out.appendingPathComponent("index.html"), targetCount: posterior.targetCount,
                             flaggedTargets: posterior.flags.filter { !$0.isEmpty }.count,
                             plottedTargets: images.filter { $0.corner != nil || $0.ppc != nil }.count,
                             plotSeconds: plotSeconds, seconds: seconds(since: started))
    }

    static func save(_ text: String, to url: URL) throws {
        do { try Data(text.utf8).write(to: url) } catch {
            throw ReportError.output(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Renames the finished staging directory to `out`; a previous report is moved aside first and removed after.
    static func publish(_ staging: URL, as out: URL) throws {
        let manager = FileManager.default
        let old = out.deletingLastPathComponent().appendingPathComponent(".\(out.lastPathComponent).old-\(getpid())")
        let hadPrevious = manager.fileExists(atPath: out.path)
        do {
            if hadPrevious { try manager.moveItem(at: out, to: old) }
            try manager.moveItem(at: staging, to: out)
        } catch {
            if hadPrevious && !manager.fileExists(atPath: out.path) { try? manager.moveItem(at: old, to: out) }
            throw ReportError.output(path: out.path, reason: "cannot publish the report: \(error.localizedDescription)")
        }
        if hadPrevious { try? manager.removeItem(at: old) }
    }
}

/// The Mustache templates and static assets shipped as resources (`Resources/site/`).
struct ReportTemplates {
    static let assets = ["report.css", "report.js"]
    let library: MustacheLibrary

    static func resource(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources/site") else {
            throw ReportError.output(path: "Resources/site/\(name)", reason: "resource missing from the NPEReport bundle")
        }
        return url
    }

    static func asset(_ name: String) throws -> String {
        try String(contentsOf: try resource(name), encoding: .utf8)
    }

    static func load() throws -> ReportTemplates {
        var templates: [String: MustacheTemplate] = [:]
        for page in ["index", "target", "layout-head"] {
            let text = try asset("\(page).mustache")
            do { templates[page] = try MustacheTemplate(string: text) } catch {
                throw ReportError.output(path: "Resources/site/\(page).mustache", reason: "template does not parse: \(error)")
            }
        }
        return ReportTemplates(library: MustacheLibrary(templates: templates))
    }

    func render(_ context: [String: Any], page: String) throws -> String {
        guard let text = library.render(context, withTemplate: page) else {
            throw ReportError.output(path: page, reason: "no such template")
        }
        return text
    }
}
