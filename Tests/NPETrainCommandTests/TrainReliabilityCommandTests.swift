import Foundation
import NPERegistry
import NPETestSupport
import Testing

/// End-to-end regression tests for `npe-train` defects of issue 13 (each failed before its fix).
@Suite(.serialized, .enabled(if: CommandHarness.available))
struct TrainReliabilityCommandTests {
    static let tiny = """
        flow: {kind: maf, transforms: 2, hidden_widths: [8]}
        embedding: {kind: mlp, hidden_widths: [8], output: 4}
        training: {batch_size: 32, learning_rate: 3e-3, epochs: 2, patience: 50}
        """

    /// Defect 5: pairs whose x[:, 2] is all zero trained, then failed to publish (−∞ in the outlier filter's
    /// JSON). They now publish, with the constant bin left unbounded (null) in the card.
    @Test func aConstantXColumnPublishes() throws {
        let h = try CommandHarness()
        try h.write("parameters:\n  - {name: a, prior: {uniform: [-1, 1]}}\n  - {name: b, prior: {normal: [0, 1]}}\n",
                    to: "prior.yaml")
        var random = SplitMix64(seed: 5)
        var csv = "a,b,x_0,x_1,x_2\n"
        for _ in 0..<240 {
            let a = 2 * random.uniform() - 1, b = 2 * random.uniform() - 1
            csv += "\(a),\(b),\(a + b),\(a - b),0\n"
        }
        try h.write(csv, to: "pairs.csv")
        try h.write(Self.tiny, to: "tiny.yaml")
        try h.buildDataset(["import", "--from", "pairs.csv", "--prior", "prior.yaml", "--out", "const"])
        let result = try h.train(["--dataset", "const", "--registry", "reg", "--name", "sir", "--config", "tiny.yaml"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("published sir@1"))
        let card = try ModelRegistry(root: h.url("reg")).card(of: try ModelVersionID(name: "sir", version: 1))
        #expect(card.name == "sir")
    }

    /// Defect 3: two runs with the same --name shared `checkpoints/NAME` and clobbered each other. The second
    /// is now refused at once, naming the live run, and the first finishes with its own metrics.
    @Test func aSecondRunOnTheSameCheckpointDirectoryIsRefused() throws {
        let h = try CommandHarness()
        try h.buildDataset(["--simulator", "linear-gaussian", "--rows", "3000", "--out", "lg", "--seed", "3", "--threads", "1"])
        try h.write(Self.tiny.replacingOccurrences(of: "epochs: 2", with: "epochs: 400"), to: "long.yaml")
        let first = try h.startTraining(["--dataset", "lg", "--registry", "reg", "--name", "lg", "--config", "long.yaml"],
                                        log: "first.log")
        defer { if first.isRunning { first.terminate() } }
        try h.waitForFile("checkpoints/lg/checkpoint.safetensors")
        let second = try h.train(["--dataset", "lg", "--registry", "reg", "--name", "lg", "--config", "long.yaml", "--resume"])
        #expect(second.status != 0)
        #expect(second.errors.contains("in use by a running process"), "\(second.errors)")
        #expect(second.errors.contains("pid \(first.processIdentifier)"), "\(second.errors)")
        #expect(FileManager.default.fileExists(atPath: h.url("checkpoints/lg/checkpoint.safetensors").path))
        first.interrupt()  // SIGINT: the first run writes its checkpoint and says how to resume
        first.waitUntilExit()
        let log = try String(contentsOf: h.url("first.log"), encoding: .utf8)
        #expect(log.contains("--resume"), "\(log)")
    }
}
