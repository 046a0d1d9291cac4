import Foundation

extension ReportPlotter {
    /// The plotter a command line asks for, each location taken from the first source that gives it.
    ///
    /// - Parameters:
    ///   - scripts: the scripts directory given on the command line (`--scripts`); else `EXONPE_SCRIPTS` in
    ///     `environment`; else the first `scripts/` holding `report_plots.py` above `executable` or the working
    ///     directory (``locateScripts(from:)``).
    ///   - python: the plotting interpreter given on the command line (`--python`); else `EXONPE_PLOT_PYTHON`; else
    ///     the venv's Python from `scripts/plot-env` (``plotEnvironmentPython(scripts:)``, which may create the venv).
    ///   - workers: plotting processes started at once.
    ///   - environment: the process environment (a parameter so tests can pass their own).
    ///   - executable: the running command, symbolic links resolved, where the search for `scripts/` starts.
    /// - Throws: ``ReportError/plotting(reason:)`` when no scripts directory is found or `plot-env` fails.
    public static func locate(
        scripts: String?, python: String?, workers: Int,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    ) throws -> ReportPlotter {
        guard let directory = (scripts ?? environment["EXONPE_SCRIPTS"]).map({ URL(fileURLWithPath: $0) })
            ?? locateScripts(from: executable) else {
            throw ReportError.plotting(reason: "cannot find scripts/report_plots.py: pass --scripts DIR, or --plots none")
        }
        let interpreter = try (python ?? environment["EXONPE_PLOT_PYTHON"]).map { URL(fileURLWithPath: $0) }
            ?? plotEnvironmentPython(scripts: directory)
        return ReportPlotter(python: interpreter, scripts: directory, workers: workers)
    }
}
