import Foundation
import NPEExternalSimulator
import NPESimulators
import NPETestSupport

/// A directory holding an external-simulator description and its scripts, for the `exec:` tests.
struct ExternalSimulatorFixture {
    let directory: URL
    var yaml: URL { directory.appendingPathComponent("sim.yaml") }

    /// The prior of the fixture simulators: inputs a, b ~ U(−1, 1).
    static let prior = try! Prior(
        yaml: """
            parameters:
              - {name: a, prior: {uniform: [-1, 1]}}
              - {name: b, prior: {uniform: [-1, 1]}}
            """, source: "exec-fixture-prior.yaml")

    /// A numpy simulator x = (a + b, a·b, sin a), deliberately flaky by the first row of its call (batch 4):
    /// rows 0-3 come back as float32; row 5 is NaN; the call of rows 8-11 exits 3 after a line on stderr; the call
    /// of rows 12-15 hangs for 60 s; the call of rows 16-19 writes one row too few. `SLEEP` seconds per call slow it
    /// down (kill tests); `FLAKY=0` turns the faults off.
    static let flakyScript = """
        import os, sys, time
        import h5py, numpy as np
        source, target = sys.argv[1], sys.argv[2]
        with h5py.File(source, "r") as f:
            theta = f["theta"][...]
            rows = f["row"][...]
            seed = int(f.attrs["seed"])
        time.sleep(float(os.environ.get("SLEEP", "0")))
        x = np.stack([theta[:, 0] + theta[:, 1], theta[:, 0] * theta[:, 1], np.sin(theta[:, 0])], axis=1)
        first = int(rows[0])
        dtype = np.float64
        if os.environ.get("FLAKY", "1") == "1":
            if first == 0: dtype = np.float32
            if first == 8:
                sys.stderr.write("boom: this batch is bad on purpose\\n")
                sys.exit(3)
            x[rows == 5] = np.nan
            if first == 12: time.sleep(60)
            if first == 16: x = x[:-1]
        with h5py.File(target, "w") as f:
            f["x"] = x.astype(dtype)
        """

    /// Writes `sim.py` and `sim.yaml` (the venv's Python runs it) into a fresh directory.
    static func make(python: String, workers: Int = 1, timeout: Double = 60, maxFailureFraction: Double = 0.9,
                     environment: [String: String] = [:], stochastic: Bool = false) throws -> ExternalSimulatorFixture {
        let directory = try makeTemporaryDirectory("exec")
        try flakyScript.write(to: directory.appendingPathComponent("sim.py"), atomically: true, encoding: .utf8)
        let fixture = ExternalSimulatorFixture(directory: directory)
        try fixture.writeDescription(python: python, workers: workers, timeout: timeout, maxFailureFraction: maxFailureFraction,
                                     environment: environment, stochastic: stochastic)
        return fixture
    }

    func writeDescription(python: String, workers: Int = 1, timeout: Double = 60, maxFailureFraction: Double = 0.9,
                          environment: [String: String] = [:], stochastic: Bool = false, command: [String]? = nil) throws {
        let variables = environment.sorted { $0.key < $1.key }.map { "\($0.key): \"\($0.value)\"" }.joined(separator: ", ")
        let words = (command ?? [python, "sim.py"]).map { "\"\($0)\"" }.joined(separator: ", ")
        try """
            simulator:
              name: flaky-toy
              version: "1.0"
              command: [\(words)]
              inputs: [a, b]
              outputs: 3
              batch: 4
              workers: \(workers)
              timeout_s: \(timeout)
              max_failure_fraction: \(maxFailureFraction)
              environment: {\(variables)}
              stochastic: \(stochastic)
            """.write(to: yaml, atomically: true, encoding: .utf8)
    }

    func simulator() throws -> ExternalSimulator {
        var simulator = try ExternalSimulator(contentsOf: yaml)
        simulator.reportFailure = { _ in }  // the tests read the failures from the result
        return simulator
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
