import Foundation
import Testing
@testable import NPEReport

/// `ReportPlotter.locate`: which source wins for the scripts directory and the interpreter. Every case names the
/// interpreter, so no test runs `scripts/plot-env`.
struct ReportPlotterLocateTests {
    @Test func theCommandLineBeatsTheEnvironment() throws {
        let environment = ["EXONPE_SCRIPTS": "/env/scripts", "EXONPE_PLOT_PYTHON": "/env/python"]
        let plotter = try ReportPlotter.locate(scripts: "/cli/scripts", python: "/cli/python", workers: 3,
                                               environment: environment)
        #expect(plotter.scripts.path == "/cli/scripts")
        #expect(plotter.python.path == "/cli/python")
        #expect(plotter.workers == 3)
    }

    @Test func theEnvironmentIsUsedWithoutOptions() throws {
        let environment = ["EXONPE_SCRIPTS": "/env/scripts", "EXONPE_PLOT_PYTHON": "/env/python"]
        let plotter = try ReportPlotter.locate(scripts: nil, python: nil, workers: 1, environment: environment)
        #expect(plotter.scripts.path == "/env/scripts")
        #expect(plotter.python.path == "/env/python")
    }

    /// Without an option or `EXONPE_SCRIPTS`, the search starts beside the executable and walks up.
    @Test func theScriptsAreFoundAboveTheExecutable() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("npereport-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let scripts = root.appendingPathComponent("scripts")
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
        try Data().write(to: scripts.appendingPathComponent("report_plots.py"))
        let executable = root.appendingPathComponent("bin/release/npe-report")
        let plotter = try ReportPlotter.locate(scripts: nil, python: "/cli/python", workers: 1, environment: [:],
                                               executable: executable)
        #expect(plotter.scripts.standardizedFileURL.path == scripts.standardizedFileURL.path)
    }
}
