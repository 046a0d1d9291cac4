import Foundation
import NPEData
import NPEDatasets
import NPEExternalSimulator
import NPEInference
import NPESimulators
import NPETestSupport
import Testing

/// The `exec:FILE.yaml` simulator (`docs/external-simulators.md`) with a real, deliberately flaky numpy script.
@Suite(.serialized, .enabled(if: InteropPython.isAvailable, "needs EXONPE_PYTHON (numpy, h5py): run through scripts/test"))
struct ExternalSimulatorTests {
    static let python = InteropPython.path ?? "python3"

    /// 24 rows in six calls of four: good rows come back exactly, every fault fails exactly its rows with its
    /// reason (and the stderr tail), and the hanging call is killed at its timeout instead of holding the run.
    @Test
    func flakyCallsFailTheirRowsWithReasonsAndNothingHangs() throws {
        // 5 s: past a loaded machine's Python start-up (numpy, h5py), far below the 60 s hang.
        let fixture = try ExternalSimulatorFixture.make(python: Self.python, workers: 2, timeout: 5)
        defer { fixture.remove() }
        let simulator = try fixture.simulator()
        var inputs: [Double] = []
        for row in 0..<24 {
            let r = Double(row)
            inputs += [r / 24 - 0.5, 0.25 - r / 48]
        }
        let start = Date()
        let result = try simulator.simulate(SimulationBatch(inputs: inputs, inputCount: 2, rows: Array(0..<24), seed: 7))
        let seconds = Date().timeIntervalSince(start)
        // The hang is 60 s; the timeout 5 s. 30 s leaves room for six Python start-ups on a loaded machine.
        #expect(seconds < 30, "took \(seconds) s: the hanging call was not killed")
        let failed = Set(result.failures.keys)
        #expect(failed == Set([5] + Array(8..<20)))
        func reason(_ row: Int) -> String { result.failures[row].map { "\($0)" } ?? "" }
        #expect(reason(5).contains("nan") && reason(5).contains("row 5"))
        #expect(reason(9).contains("exited with status 3") && reason(9).contains("boom: this batch is bad on purpose"))
        #expect(reason(13).contains("timed out after 5.0 s"))
        #expect(reason(17).contains("shape [3, 3], expected [4, 3]"))
        for row in Set(0..<24).subtracting(failed) {
            let a = inputs[2 * row], b = inputs[2 * row + 1]
            let x = Array(result.output(row))
            // Rows 0-3 travel as float32: exact after rounding a + b to Float. sin: numpy's and glibc's may differ in
            // the last bit, so 1e-15 (a few ulps of values below 1).
            let exact: [Double] = [a + b, a * b, Foundation.sin(a)]
            let expected: [Double] = exact.map { row < 4 ? Double(Float($0)) : $0 }
            #expect(x[0] == expected[0] && x[1] == expected[1], "row \(row)")
            #expect(abs(x[2] - expected[2]) <= (row < 4 ? 1e-7 : 1e-15), "row \(row)")
        }
    }

    /// Through the dataset builder: failed rows are kept, flagged and counted; the good rows are the simulator's.
    @Test
    func theBuilderKeepsGoodRowsAndFlagsFailedOnes() throws {
        let fixture = try ExternalSimulatorFixture.make(python: Self.python, timeout: 5)
        defer { fixture.remove() }
        let out = fixture.directory.appendingPathComponent("data")
        let builder = try DatasetBuilder(source: ExternalSimulatorFixture.prior, simulator: try fixture.simulator(),
                                         noiseModel: .none, rows: 24, seed: 3, directory: out, shardRows: 12)
        let summary = try #require(try builder.run())
        #expect(summary.failedRows == 13 && summary.firstFailedRow == 5)
        #expect(summary.firstError?.contains("row 5") == true, "\(summary.firstError ?? "no first error")")
        let rows = try readAllRows(out.appendingPathComponent("dataset.h5"))
        let flagged = (0..<24).filter { rows.flags?[$0] != 0 }
        #expect(flagged == [5] + Array(8..<20))
        for row in [0, 4, 20, 23] {
            let a = Double(rows.theta[2 * row]), b = Double(rows.theta[2 * row + 1])
            #expect(abs(Double(rows.x[3 * row]) - (a + b)) < 1e-6, "row \(row)")
        }
        let metadata = try TrainingDatasetReader(contentsOf: out.appendingPathComponent("dataset.h5")).metadata
        #expect(metadata.simulatorName == "exec:flaky-toy" && metadata.simulatorVersion == "1.0")
        #expect(metadata.simulatorConfigurationJSON.contains("sim.py") && metadata.simulatorConfigurationJSON.contains("file_sha256"))
    }

    /// More failed rows than max_failure_fraction stop the build with an error that says so.
    @Test
    func tooManyFailuresStopTheRun() throws {
        let fixture = try ExternalSimulatorFixture.make(python: Self.python)
        defer { fixture.remove() }
        try fixture.writeDescription(python: Self.python, maxFailureFraction: 0.5, command: ["sh", "-c", "echo always broken >&2; exit 1", "sh"])
        let out = fixture.directory.appendingPathComponent("data")
        let builder = try DatasetBuilder(source: ExternalSimulatorFixture.prior, simulator: try fixture.simulator(),
                                         noiseModel: .none, rows: 16, seed: 3, directory: out, shardRows: 8)
        #expect {
            try builder.run()
        } throws: { error in
            let text = "\(error)"
            return text.contains("exec:flaky-toy") && text.contains("max_failure_fraction 0.5") && text.contains("always broken")
        }
    }

    /// One worker and two workers give the same dataset, row for row and byte for byte.
    @Test
    func oneAndTwoWorkersGiveIdenticalDatasets() throws {
        let fixture = try ExternalSimulatorFixture.make(python: Self.python, environment: ["FLAKY": "0"])
        defer { fixture.remove() }
        var digests: [String] = []
        for workers in [1, 2] {
            try fixture.writeDescription(python: Self.python, workers: workers, environment: ["FLAKY": "0"])
            let out = fixture.directory.appendingPathComponent("w\(workers)")
            let builder = try DatasetBuilder(source: ExternalSimulatorFixture.prior, simulator: try fixture.simulator(),
                                             noiseModel: .none, rows: 40, seed: 5, directory: out, shardRows: 20)
            let summary = try #require(try builder.run(options: DatasetBuildOptions(threads: workers)))
            #expect(summary.failedRows == 0)
            digests.append(summary.contentDigest)
        }
        #expect(digests[0] == digests[1])
    }

    /// A recorded exec simulator is rebuilt from its description, and refused once its script changed.
    @Test
    func aRecordIsRebuiltAndAnEditedScriptIsRefused() throws {
        let fixture = try ExternalSimulatorFixture.make(python: Self.python)
        defer { fixture.remove() }
        let simulator = try fixture.simulator()
        let json = String(decoding: try JSONEncoder().encode(simulator.configuration), as: UTF8.self)
        let rebuilt = try SimulatorCatalog.simulator(named: "exec:flaky-toy", version: "1.0", recordedConfigurationJSON: json)
        #expect(rebuilt.configuration == simulator.configuration)
        #expect(SimulatorCatalog.standard.recognizes(recorded: "exec:flaky-toy"))
        try (ExternalSimulatorFixture.flakyScript + "\n# edited\n").write(
            to: fixture.directory.appendingPathComponent("sim.py"), atomically: true, encoding: .utf8)
        #expect {
            try SimulatorCatalog.simulator(named: "exec:flaky-toy", version: "1.0", recordedConfigurationJSON: json)
        } throws: { "\($0)".contains("file_sha256") }
        // Through the catalogue's scheme, as every command chooses it.
        let entry = try SimulatorCatalog.entry(named: "exec:" + fixture.yaml.path)
        #expect(entry.simulator.name == "exec:flaky-toy" && entry.simulator.inputNames == ["a", "b"])
    }

    /// Importance sampling needs an exact likelihood: a simulator declared stochastic is refused, by name.
    @Test
    func aStochasticSimulatorIsRefusedForImportanceSampling() throws {
        let fixture = try ExternalSimulatorFixture.make(python: Self.python, stochastic: true)
        defer { fixture.remove() }
        let simulator = try fixture.simulator()
        #expect(simulator.isStochastic && simulator.configuration["batch"] == "4")
        #expect {
            try SimulatorLikelihood(simulator: simulator, prior: ExternalSimulatorFixture.prior, thetaNames: ["a", "b"],
                                    contextNames: [], model: "toy@1")
        } throws: { "\($0)".contains("declared stochastic") }
    }
}

/// The description's contract checks, without Python: each broken file names its file, key and line.
struct ExternalSimulatorDescriptionTests {
    static let valid = """
        simulator:
          name: toy
          version: "1"
          command: [python3, sim.py]
          inputs: [a, b]
          outputs: 3
        """

    @Test(arguments: [
        ("unknown key", valid + "\n  bacth: 10", "'simulator.bacth'", ":7"),
        ("missing command", valid.replacingOccurrences(of: "  command: [python3, sim.py]\n", with: ""), "'simulator.command': missing", ""),
        ("zero batch", valid + "\n  batch: 0", "'0' is not a positive integer", ":7"),
        ("fraction above 1", valid + "\n  max_failure_fraction: 1.5", "between 0 and 1", ":7"),
        ("no outputs", valid.replacingOccurrences(of: "  outputs: 3\n", with: "").replacingOccurrences(of: "  outputs: 3", with: ""), "outputs: M or wavelength_file", ""),
        ("missing grid", valid + "\n  wavelength_file: nowhere.csv", "nowhere.csv", ":7"),
        ("future contract", "contract: 2\n" + valid, "contract version '2'", ":1"),
    ])
    func brokenDescriptionsNameFileKeyAndLine(_ label: String, _ yaml: String, _ message: String, _ line: String) throws {
        let file = URL(fileURLWithPath: "/tmp/exonpe-description-test/\(label.filter(\.isLetter)).yaml")
        #expect(label.isEmpty == false)
        #expect {
            try ExternalSimulatorDescription(yaml: yaml, file: file)
        } throws: { error in
            let text = "\(error)"
            return text.contains(file.path + line) && text.contains(message)
        }
    }

    @Test
    func aValidDescriptionTakesItsDefaults() throws {
        let description = try ExternalSimulatorDescription(yaml: Self.valid, file: URL(fileURLWithPath: "/tmp/x/toy.yaml"))
        #expect(description.batch == 1000 && description.workers == 1 && description.timeoutSeconds == 600)
        #expect(description.maxFailureFraction == 0.5 && !description.stochastic && description.outputCount == 3)
        #expect(description.directory.path == "/tmp/x")
    }

    /// A command that cannot start stops the run at once (every call would fail the same way).
    @Test
    func aMissingCommandStopsAtOnce() throws {
        let directory = try makeTemporaryDirectory("exec-missing")
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml = directory.appendingPathComponent("sim.yaml")
        try Self.valid.replacingOccurrences(of: "[python3, sim.py]", with: "[/nonexistent/simulator]")
            .write(to: yaml, atomically: true, encoding: .utf8)
        let simulator = try ExternalSimulator(contentsOf: yaml)
        #expect {
            try simulator.simulate(SimulationBatch(inputs: [0, 0], inputCount: 2, rows: [0], seed: 1))
        } throws: { "\($0)".contains("cannot start /nonexistent/simulator") }
    }

    /// The per-call seed depends on the run seed and the call's first row only.
    @Test
    func callSeedsAreKeyedOnTheFirstRow() {
        let seeds = (0..<4).map { ExternalSimulator.callSeed(runSeed: 9, firstRow: $0 * 4) }
        #expect(Set(seeds).count == 4)
        #expect(ExternalSimulator.callSeed(runSeed: 9, firstRow: 8) == seeds[2])
        #expect(ExternalSimulator.callSeed(runSeed: 10, firstRow: 8) != seeds[2])
    }
}
