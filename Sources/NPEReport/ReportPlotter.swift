import Foundation

/// Draws a report's images with the project's plotting venv (matplotlib, corner): `scripts/report_plots.py`, started
/// as `workers` processes at once, each on every workers-th target (round robin, so a cluster of slow targets is
/// shared out). Python starts and imports matplotlib once per worker, not once per image.
///
/// A command builds one with ``locate(scripts:python:workers:environment:executable:)``, which finds the scripts and
/// the interpreter, so the type spells no public memberwise initialiser.
public struct ReportPlotter: Sendable {
    /// The plotting Python and the directory holding `report_plots.py`, `plot_corner.py`, `plot_ppc.py`.
    public var python: URL
    public var scripts: URL
    public var workers: Int

    /// Images of one target, relative to the site root; nil when not drawn.
    public struct TargetImages: Sendable, Equatable, Decodable {
        public var index: Int
        public var corner: String?
        public var ppc: String?
        public var seconds: Double
    }

    /// Finds the scripts directory: `scripts/report_plots.py` above the executable or the working directory.
    public static func locateScripts(from executable: URL) -> URL? {
        let starts = [executable.deletingLastPathComponent(), URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        for start in starts {
            var directory = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = directory.appendingPathComponent("scripts")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("report_plots.py").path) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// The venv's Python from `scripts/plot-env` (which creates the venv the first time).
    public static func plotEnvironmentPython(scripts: URL) throws -> URL {
        let result = try run(URL(fileURLWithPath: "/bin/bash"), [scripts.appendingPathComponent("plot-env").path])
        let path = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, !path.isEmpty else {
            throw ReportError.plotting(reason: "scripts/plot-env failed (\(result.status)): \(result.errors.suffix(500))")
        }
        return URL(fileURLWithPath: path)
    }

    /// Draws the corner and predictive plots of `targets` into `site`, returning what each worker reported.
    public func plotTargets(posterior: URL, site: URL, targets: [Int]) throws -> [TargetImages] {
        let count = max(1, min(workers, targets.count))
        guard !targets.isEmpty else { return [] }
        final class Results: @unchecked Sendable {  // each worker writes its own slot
            var slots: [Result<[TargetImages], Error>]
            init(_ n: Int) { slots = Array(repeating: .success([]), count: n) }
        }
        let results = Results(count)
        DispatchQueue.concurrentPerform(iterations: count) { worker in
            let mine = stride(from: worker, to: targets.count, by: count).map { targets[$0] }
            results.slots[worker] = Result { try plot(posterior: posterior, site: site, targets: mine, worker: worker) }
        }
        return try results.slots.flatMap { try $0.get() }.sorted { $0.index < $1.index }
    }

    func plot(posterior: URL, site: URL, targets: [Int], worker: Int) throws -> [TargetImages] {
        let jobs = site.appendingPathComponent(".plot-jobs-\(worker).json")
        let list = targets.map { ["index": $0, "dir": ReportTable.imageDirectory(ofTarget: $0)] as [String: Any] }
        try JSONSerialization.data(withJSONObject: list).write(to: jobs)
        defer { try? FileManager.default.removeItem(at: jobs) }
        let result = try Self.run(python, [scripts.appendingPathComponent("report_plots.py").path, "targets", posterior.path, site.path, jobs.path])
        guard result.status == 0 else {
            throw ReportError.plotting(reason: "worker \(worker) (\(python.path)) exited \(result.status): \(result.errors.suffix(1500))")
        }
        let decoder = JSONDecoder()
        return try result.output.split(separator: "\n").map { line in
            do { return try decoder.decode(TargetImages.self, from: Data(line.utf8)) } catch {
                throw ReportError.plotting(reason: "worker \(worker) printed an unexpected line: \(line.prefix(200))")
            }
        }
    }

    /// Draws `calibration/coverage.png` and `calibration/sbc.png` from an evaluation file.
    public func plotCalibration(evaluation: URL, site: URL) throws {
        let result = try Self.run(python, [scripts.appendingPathComponent("report_plots.py").path, "calibration", evaluation.path, site.path])
        guard result.status == 0 else {
            throw ReportError.plotting(reason: "calibration plots exited \(result.status): \(result.errors.suffix(1500))")
        }
    }

    /// Runs a process to completion, draining standard error on its own thread so neither pipe can fill up.
    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            throw ReportError.plotting(reason: "cannot start \(executable.path): \(error.localizedDescription)")
        }
        final class Drained: @unchecked Sendable { var data = Data() }  // written by one thread, read after wait()
        let errors = Drained()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errors.data = err.fileHandleForReading.readDataToEndOfFile() }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors.data, as: UTF8.self))
    }
}
