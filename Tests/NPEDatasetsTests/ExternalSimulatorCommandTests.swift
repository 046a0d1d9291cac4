import Foundation
import NPEData
import NPEDatasets
import NPETestSupport
import Testing

/// `npe-build-dataset build --simulator exec:FILE.yaml` as a user runs it.
@Suite(.enabled(if: InteropPython.isAvailable, "needs EXONPE_PYTHON (numpy, h5py): run through scripts/test"))
struct ExternalSimulatorCommandTests {
    static let executable = builtExecutable(named: "npe-build-dataset")

    /// kill -9 in the middle of an exec build, then `--resume`: the same dataset as an uninterrupted build.
    @Test
    func killedExecBuildResumesToTheSameDataset() throws {
        let python = try #require(InteropPython.path)
        // SLEEP slows each call so the kill lands between shards.
        let fixture = try ExternalSimulatorFixture.make(python: python, environment: ["FLAKY": "0", "SLEEP": "0.3"])
        defer { fixture.remove() }
        let prior = fixture.directory.appendingPathComponent("prior.yaml")
        try """
            parameters:
              - {name: a, prior: {uniform: [-1, 1]}}
              - {name: b, prior: {uniform: [-1, 1]}}
            """.write(to: prior, atomically: true, encoding: .utf8)
        let arguments = ["build", "--simulator", "exec:" + fixture.yaml.path, "--prior", prior.path, "--rows", "24",
                         "--seed", "4", "--shard-rows", "8", "--threads", "1"]
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments + ["--out", "killed"]
        process.currentDirectoryURL = fixture.directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let store = DatasetShardStore(directory: fixture.directory.appendingPathComponent("killed"))
        let deadline = Date().addingTimeInterval(60)
        while !store.hasShard(0) && process.isRunning && Date() < deadline { usleep(5_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let kept = (0..<3).filter(store.hasShard).count
        #expect(kept >= 1 && kept < 3)

        let resumed = try runProcess(Self.executable, arguments + ["--out", "killed", "--resume"], in: fixture.directory)
        #expect(resumed.status == 0, "\(resumed.errors)")
        let straight = try runProcess(Self.executable, arguments + ["--out", "straight"], in: fixture.directory)
        #expect(straight.status == 0, "\(straight.errors)")
        let digests = try ["killed", "straight"].map {
            try TrainingDatasetReader(contentsOf: fixture.directory.appendingPathComponent("\($0)/dataset.h5")).contentDigest
        }
        #expect(digests[0] == digests[1])
    }
}
