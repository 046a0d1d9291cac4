import ArgumentParser
import Foundation
import NPEReport

/// `npe-report`: a static HTML site over a posterior file (and the model's evaluation).
struct NPEReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "npe-report",
        abstract: "Write a static HTML report of an npe-infer posterior file: every target, its flags, plots and the model's calibration.",
        discussion: """
            OUT/index.html opens from disk, with no server and no network (docs/report.md). Images are drawn by the \
            plotting venv (scripts/plot-env) in parallel; --plots flagged or none leaves the rest to be drawn on \
            demand with scripts/report-plots POST OUT TARGET...
            """)

    @Argument(help: "The posterior file (npe-infer --out).") var posterior: String
    @Option(help: "An npe-validate evaluation (its --out JSON, or a registry evaluation record) for the calibration section.")
    var evaluation: String?
    @Option(help: "The report directory to write (replaced when it holds an earlier report).") var out: String
    @Option(help: "Which targets get images now: auto (all up to \(PlotSelection.autoLimit) targets, else the flagged ones), all, flagged or none.")
    var plots: String = PlotSelection.auto.rawValue
    @Option(help: "Plotting processes at once; the default is the core count.") var plotWorkers: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "The plotting Python (default: $EXONPE_PLOT_PYTHON, else the venv of scripts/plot-env).") var python: String?
    @Option(help: "The directory with report_plots.py (default: $EXONPE_SCRIPTS, else scripts/ found above this executable or the working directory).")
    var scripts: String?

    func run() throws {
        do {
            try report()
        } catch let error as ReportError {
            FileHandle.standardError.write(Data("npe-report: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    func report() throws {
        guard let selection = PlotSelection(rawValue: plots) else {
            throw ReportError.invalidOption(name: "--plots", reason: "'\(plots)' is not one of \(PlotSelection.allCases.map(\.rawValue))")
        }
        guard plotWorkers >= 1 else { throw ReportError.invalidOption(name: "--plot-workers", reason: "must be positive") }
        let input = try ReportInput.load(posterior: URL(fileURLWithPath: posterior), evaluation: evaluation.map { URL(fileURLWithPath: $0) })
        let plotter = selection == .none ? nil : try ReportPlotter.locate(scripts: scripts, python: python, workers: plotWorkers)
        let summary = try ReportSite.write(input, to: URL(fileURLWithPath: out), plots: selection, plotter: plotter)
        print("report: \(summary.index.path)")
        print(String(format: "%d targets (%d flagged); images of %d targets in %.1f s; %.1f s in all",
                     summary.targetCount, summary.flaggedTargets, summary.plottedTargets, summary.plotSeconds, summary.seconds))
    }
}
