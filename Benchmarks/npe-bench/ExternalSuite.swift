import Foundation
import NPEData
import NPEExternalSimulator
import NPESimulators

/// `external`: the cost of the exec protocol (issue 15), against the same simulator run in-process.
///
/// The simulator is npe-bench itself in `exec-child` mode: it reads IN.h5 and writes OUT.h5 through NPEData and
/// busy-waits `EXEC_MS_PER_ROW` ms per row, so the in-process twin (``spin(rows:millisecondsPerRow:)`` on the same
/// rows) does exactly the same work and the difference is the protocol: IN.h5 written, a process spawned in its own
/// group, the child's start and HDF5 I/O, OUT.h5 read back.
///
/// - `exec_call_overhead_ms`: one call of 1 row with no work (the fixed cost per call);
/// - `exec_overhead_per_row_ms`: at batch 1000 and 1 ms/row, (exec − in-process) / 1000 rows;
/// - `exec_overhead_pct`: the same as a percentage of the 1 ms/row simulator (goal ≤ 5 %);
/// - `python_call_overhead_ms` (when `EXONPE_PYTHON` is set): one call of `examples/python-toy/toy.py`'s kind, a
///   numpy + h5py script on 1 row, i.e. what a Python simulator adds per call (interpreter and imports).
enum ExternalSuite {
    static func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npe-bench-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path

        func simulator(command: [String], batch: Int, msPerRow: Double, label: String) throws -> ExternalSimulator {
            let yaml = directory.appendingPathComponent("\(label).yaml")
            try """
                simulator:
                  name: bench-\(label)
                  version: "1"
                  command: [\(command.map { "\"\($0)\"" }.joined(separator: ", "))]
                  inputs: [a, b]
                  outputs: 52
                  batch: \(batch)
                  timeout_s: 600
                  environment: {EXEC_MS_PER_ROW: "\(msPerRow)"}
                """.write(to: yaml, atomically: true, encoding: .utf8)
            return try ExternalSimulator(contentsOf: yaml)
        }
        func batch(_ rows: Int) -> SimulationBatch {
            SimulationBatch(inputs: (0..<2 * rows).map { Double($0) / Double(2 * rows) }, inputCount: 2, rows: Array(0..<rows), seed: 1)
        }

        let empty = try simulator(command: [executable, "exec-child"], batch: 1, msPerRow: 0, label: "empty")
        let one = batch(1)
        let perCall = try secondsPerCall(warmup: 2, rounds: 5, minimumSeconds: 0.3) { _ = try empty.simulate(one) }
        Figure(suite: "external", name: "exec_call_overhead_ms", value: perCall * 1e3, unit: "ms",
               extra: ["rows": 1, "child": "npe-bench exec-child (Swift, NPEData)"]).print()

        let rows = 1000
        let working = try simulator(command: [executable, "exec-child"], batch: rows, msPerRow: 1, label: "working")
        let big = batch(rows)
        let exec = try secondsPerCall(warmup: 1, rounds: 3, minimumSeconds: 0) { _ = try working.simulate(big) }
        let inProcess = try secondsPerCall(warmup: 1, rounds: 3, minimumSeconds: 0) { spin(rows: rows, millisecondsPerRow: 1) }
        let perRow = (exec - inProcess) / Double(rows)
        Figure(suite: "external", name: "exec_overhead_per_row_ms", value: perRow * 1e3, unit: "ms",
               extra: ["batch": rows, "ms_per_row": 1, "exec_s": exec, "in_process_s": inProcess]).print()
        Figure(suite: "external", name: "exec_overhead_pct", value: 100 * perRow / 1e-3, unit: "%",
               extra: ["batch": rows, "goal": "<= 5"]).print()

        if let python = ProcessInfo.processInfo.environment["EXONPE_PYTHON"] {
            let script = directory.appendingPathComponent("toy.py")
            try """
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], "r") as f: theta = f["theta"][...]
                with h5py.File(sys.argv[2], "w") as f: f["x"] = np.repeat(theta[:, :1], 52, axis=1)
                """.write(to: script, atomically: true, encoding: .utf8)
            let toy = try simulator(command: [python, script.path], batch: 1, msPerRow: 0, label: "python")
            let pythonCall = try secondsPerCall(warmup: 1, rounds: 3, minimumSeconds: 0.3) { _ = try toy.simulate(one) }
            Figure(suite: "external", name: "python_call_overhead_ms", value: pythonCall * 1e3, unit: "ms",
                   extra: ["rows": 1, "child": "python + numpy + h5py", "per_row_at_1000_ms": pythonCall]).print()
        }
    }

    /// The child: `npe-bench exec-child IN.h5 OUT.h5`. x[i, j] = theta[i, 0] after `EXEC_MS_PER_ROW` ms per row.
    static func child(input: String, output: String) throws {
        let file = try HDF5File.open(at: URL(fileURLWithPath: input))
        let theta = try file.root().openDataset("theta")
        let n = try theta.rowCount(), width = theta.rowElementCount
        let values = try theta.readAll(as: Double.self)
        try file.close()
        spin(rows: n, millisecondsPerRow: Double(ProcessInfo.processInfo.environment["EXEC_MS_PER_ROW"] ?? "") ?? 0)
        let out = try HDF5File.create(at: URL(fileURLWithPath: output))
        try out.root().createDataset("x", values: (0..<n * 52).map { values[($0 / 52) * width] }, shape: [n, 52])
        try out.commit()
    }

    /// Busy-waits `millisecondsPerRow` per row: a simulator of known cost, the same in both processes.
    static func spin(rows: Int, millisecondsPerRow: Double) {
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(Double(rows) * millisecondsPerRow * 1e6)
        while DispatchTime.now().uptimeNanoseconds < end {}
    }
}
