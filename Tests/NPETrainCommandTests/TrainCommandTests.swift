import Foundation
import NPEData
import NPEModels
import NPERegistry
import NPETensor
import NPETestSupport
import NPETraining
import Testing

/// A small, fast network for the runs that check mechanics (determinism, resume), not accuracy.
private let smallConfiguration = """
    flow: {kind: maf, transforms: 2, hidden_widths: [16]}
    embedding: {kind: mlp, hidden_widths: [32], output: 8}
    training: {batch_size: 64, learning_rate: 3e-3, epochs: 3, patience: 50, shuffle_buffer_chunks: 2}
    """

/// End-to-end runs of the built `npe-train` on datasets built by `npe-build-dataset`.
@Suite(.serialized)
struct TrainCommandTests {
    init() throws { try #require(CommandHarness.available, "npe-train or npe-build-dataset is not built: run swift build --build-tests first") }

    /// A linear-Gaussian dataset (D 5, M 10; it declares Gaussian per-bin noise) for the checks that fail
    /// before training.
    static func linearGaussian(_ harness: CommandHarness, rows: Int) throws {
        try harness.buildDataset(["--simulator", "linear-gaussian", "--rows", String(rows), "--out", "lg", "--seed", "3",
                                  "--threads", "2"])
    }

    /// A small ARIEL dataset (D 7, A 2, M 52; trained with the default Ariel MCS noise and noise-level input), and
    /// the small network.
    static func ariel(_ harness: CommandHarness, rows: Int) throws {
        try harness.buildDataset(["--rows", String(rows), "--out", "ariel", "--seed", "3", "--threads", "2"])
        try harness.write(smallConfiguration, to: "small.yaml")
    }

    @Test func badInputsAreReportedBeforeAnyWork() throws {
        let h = try CommandHarness()
        try Self.linearGaussian(h, rows: 300)
        try FileManager.default.createDirectory(at: h.url("bad"), withIntermediateDirectories: true)
        try Data("not an HDF5 file".utf8).write(to: h.url("bad/dataset.h5"))
        try FileManager.default.createDirectory(at: h.url("v2"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: h.url("lg/dataset.h5"), to: h.url("v2/dataset.h5"))
        let update = try HDF5File.openForUpdate(at: h.url("v2/dataset.h5"))
        try update.root().attributes.set("format_version", to: .int64(2))
        try update.commit()
        try h.write("training:\n  epochs: 3\n  learning_rte: 0.1\n", to: "typo.yaml")
        try h.write("noise: {model: ariel-mcs}\n", to: "mcs.yaml")
        try Data().write(to: h.url("afile"))
        let base = ["--registry", "reg", "--name", "m"]
        let cases: [(String, [String], [String])] = [
            ("missing dataset", ["--dataset", "nowhere"] + base, ["nowhere: no dataset here"]),
            ("corrupt dataset", ["--dataset", "bad"] + base, ["bad/dataset.h5"]),
            ("format version", ["--dataset", "v2"] + base, ["v2/dataset.h5", "format_version 2 is not supported"]),
            ("unknown config key", ["--dataset", "lg", "--config", "typo.yaml"] + base,
             ["typo.yaml:3: key 'training.learning_rte': unknown key"]),
            ("invalid flag value", ["--dataset", "lg", "--epochs", "0"] + base, ["<command line>: key 'training.epochs'"]),
            ("registry not writable", ["--dataset", "lg", "--registry", "afile/reg", "--name", "m"],
             ["afile/reg: the registry is not writable"]),
            ("noise for another grid", ["--dataset", "lg", "--config", "mcs.yaml"] + base,
             ["lg/dataset.h5: training noise: ariel-mcs noise covers the 52 ADC2023 bins, but x has 10"]),
            ("nothing to resume", ["--dataset", "lg", "--resume"] + base, ["--resume was given, but there is no checkpoint"]),
        ]
        for (label, arguments, messages) in cases {
            let result = try h.train(arguments)
            #expect(result.status != 0, "\(label)")
            for message in messages {
                #expect(result.errors.contains(message), "\(label): missing '\(message)' in \(result.errors)")
            }
        }
        // Nothing was trained or written: no checkpoint directory and no model.
        #expect(!FileManager.default.fileExists(atPath: h.url("checkpoints").path))
        #expect(try ModelRegistry(root: h.url("reg")).modelNames().isEmpty)
    }

    /// One worker, two thread workers and two MPI ranks follow the same loss trajectory. They see the same global
    /// batches (every worker streams the same shuffled order and takes its slice), the same noise (keyed on
    /// seed, epoch and row) and apply the same all-reduced gradient; only the order in which per-row gradients
    /// are summed differs, a relative ~1e-7 per step that Adam carries along over 3 epochs of ~40 steps. 1e-3
    /// relative is far below the epoch-to-epoch change of the loss (~10 %), so a worker that saw other data or
    /// skipped the reduction fails it.
    @Test func oneWorkerTwoThreadsAndTwoMPIRanksFollowOneTrajectory() throws {
        let h = try CommandHarness()
        try Self.ariel(h, rows: 3000)
        let common = ["--dataset", "ariel", "--registry", "reg", "--config", "small.yaml", "--seed", "11"]
        let one = try h.train(common + ["--name", "one", "--checkpoint-dir", "c1"])
        #expect(one.status == 0, "\(one.errors)")
        #expect(one.output.contains("published one@1"))
        let two = try h.train(common + ["--name", "two", "--workers", "2", "--checkpoint-dir", "c2"])
        #expect(two.status == 0, "\(two.errors)")
        var runs = [try h.publishedMetrics(registry: "reg", reference: "two")]
        if CommandHarness.mpirun != nil {
            let mpi = try h.trainUnderMPI(ranks: 2, common + ["--name", "mpi", "--checkpoint-dir", "c3"])
            #expect(mpi.status == 0, "\(mpi.output)\(mpi.errors)")
            #expect(mpi.output.components(separatedBy: "published mpi@1").count == 2, "rank 0 alone publishes")
            runs.append(try h.publishedMetrics(registry: "reg", reference: "mpi"))
        }
        let reference = try h.publishedMetrics(registry: "reg", reference: "one")
        #expect(reference.count == 3)
        #expect(reference.last!.validationLoss < reference.first!.validationLoss)
        for run in runs {
            #expect(run.count == reference.count)
            for (a, b) in zip(run, reference) {
                #expect(abs(a.trainingLoss - b.trainingLoss) <= 1e-3 * abs(b.trainingLoss), "\(a) vs \(b)")
                #expect(abs(a.validationLoss - b.validationLoss) <= 1e-3 * abs(b.validationLoss), "\(a) vs \(b)")
            }
        }
    }

    /// kill -9 after an epoch, and SIGINT mid-run, then --resume: both end with exactly the weights of an
    /// uninterrupted run (same thread count, so every step's arithmetic is identical: equality is bit for bit).
    @Test func killedOrInterruptedRunsResumeToTheUninterruptedWeights() throws {
        let h = try CommandHarness()
        try Self.ariel(h, rows: 4000)
        // Batch 32 and 12 epochs: long enough (a few seconds) that the signals land mid-run.
        let common = ["--dataset", "ariel", "--registry", "reg", "--config", "small.yaml", "--epochs", "12", "--seed", "5",
                      "--batch-size", "32"]
        let full = try h.train(common + ["--name", "full", "--checkpoint-dir", "cfull"])
        #expect(full.status == 0, "\(full.errors)")
        let reference = try h.publishedWeights(registry: "reg", reference: "full")

        // kill -9 once the first epoch is logged: the checkpoint holds a completed epoch.
        let killed = try h.startTraining(common + ["--name", "killed", "--checkpoint-dir", "ckill"], log: "kill.log")
        try h.waitForLines("ckill/metrics.jsonl", atLeast: 1)
        try h.waitForFile("ckill/checkpoint.safetensors")
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(killed.terminationReason == .uncaughtSignal)
        #expect(FileManager.default.fileExists(atPath: h.url("ckill/checkpoint.safetensors").path))
        let again = try h.train(common + ["--name", "killed", "--checkpoint-dir", "ckill"])
        #expect(again.status != 0 && again.errors.contains("pass --resume"), "\(again.errors)")
        let resumed = try h.train(common + ["--name", "killed", "--checkpoint-dir", "ckill", "--resume"])
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(try h.publishedWeights(registry: "reg", reference: "killed") == reference)
        #expect(try h.publishedMetrics(registry: "reg", reference: "killed").count == 12)

        // SIGINT during the third epoch: the current step finishes, a mid-epoch checkpoint is written, and the
        // process exits non-zero saying how to resume.
        let stopped = try h.startTraining(common + ["--name", "stopped", "--checkpoint-dir", "cstop"], log: "stop.log")
        try h.waitForLines("cstop/metrics.jsonl", atLeast: 2)
        try h.waitForFile("cstop/checkpoint.safetensors")
        kill(stopped.processIdentifier, SIGINT)
        stopped.waitUntilExit()
        let log = try String(contentsOf: h.url("stop.log"), encoding: .utf8)
        #expect(stopped.terminationStatus != 0 && stopped.terminationReason == .exit, "\(log)")
        #expect(log.contains("stopped by SIGINT") && log.contains("--resume"), "\(log)")
        let checkpoint = try TrainingCheckpoint.read(from: h.url("cstop/checkpoint.safetensors"))
        #expect(checkpoint.state.completedEpochs >= 2 && checkpoint.state.completedEpochs < 12)
        let continued = try h.train(common + ["--name", "stopped", "--checkpoint-dir", "cstop", "--resume"])
        #expect(continued.status == 0, "\(continued.errors)")
        #expect(try h.publishedWeights(registry: "reg", reference: "stopped") == reference)
        // Publishing cleared the checkpoint: the registry entry holds the result.
        #expect(!FileManager.default.fileExists(atPath: h.url("cstop/checkpoint.safetensors").path))
    }
}
