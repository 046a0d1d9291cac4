import Foundation
import NPEData
import NPENN
import NPETensor
import Testing
import NPEParallel
@testable import NPETraining
import NPESupport

/// Predicts θ from x with an MLP; the summed squared error is the loss.
final class Regressor: TrainableModel {
    let net: MLP
    var poison = false
    init(seed: UInt64) throws { net = try MLP(sizes: [3, 16, 2], activation: .tanh, stream: RandomStream(seed: seed)) }
    var namedParameters: [(name: String, parameter: Variable)] { prefixed("net", net) }
    func summedLoss(_ inputs: TrainingInputs) throws -> Variable {
        let error = try net(Variable(inputs.x)) - Variable(inputs.theta)
        let loss = try error.squared().sum()
        return poison ? try loss * Float.nan : loss
    }
}

/// θ ~ U(−1, 1)², x = (θ₁ + θ₂, θ₁ − θ₂, θ₁θ₂): learnable, so the loss must fall.
final class RegressionDataset {
    let directory: URL
    let reader: TrainingDatasetReader
    init(rows: Int = 1200) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("npetrainer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("dataset.h5")
        let metadata = TrainingDatasetMetadata(
            parameterNames: ["a", "b"], parameterUnits: ["", ""], priorJSON: "{}", contextNames: [],
            wavelength: [1, 2, 3], binWidth: [1, 1, 1], simulatorName: "test", simulatorVersion: "1",
            simulatorConfigurationJSON: "{}", noiseModelJSON: "{}", seed: 1)
        let writer = try TrainingDatasetWriter(creatingAt: url, metadata: metadata, chunkRows: 100)
        let stream = RandomStream(seed: 4)
        for r in 0..<rows {
            let a = 2 * stream.uniform(UInt64(2 * r)) - 1, b = 2 * stream.uniform(UInt64(2 * r + 1)) - 1
            try writer.append(theta: [a, b], x: [a + b, a - b, a * b])
        }
        _ = try writer.commit()
        reader = try TrainingDatasetReader(contentsOf: url)
    }
    deinit { try? FileManager.default.removeItem(at: directory) }
}

private func options(epochs: Int) -> TrainingOptions {
    var o = TrainingOptions()
    o.epochs = epochs
    o.batchSize = 64
    o.learningRate = 3e-3
    o.validationFraction = 0.2
    o.patience = 100
    o.shuffleBufferChunks = 3
    o.seed = 17
    return o
}

@Test func validationLossFallsWellBelowItsStart() throws {
    let data = try RegressionDataset()
    let model = try Regressor(seed: 1)
    let noise = try NoiseAugmentation(sigma: [0.02, 0.02, 0.02], seed: 3)
    let trainer = Trainer(model: model, options: options(epochs: 15), reader: data.reader, noise: noise)
    let result = try trainer.run()
    let first = result.history.first!.validationLoss, best = result.bestValidationLoss
    // The initial loss is ~0.7 (θ variance 2/3 per row); a 3-16-2 tanh net reaches ~0.01 here. A factor of 10 is
    // far from both a broken loop (no fall) and the noise floor.
    #expect(best < first / 10)
    #expect(result.history.count == 15)
}

@Test func resumeAfterInterruptionEqualsAnUninterruptedRun() throws {
    let data = try RegressionDataset()
    let noise = try NoiseAugmentation(sigma: [0.05, 0.05, 0.05], scaleRange: 0.5...2, seed: 3)
    var o = options(epochs: 6)
    o.schedule = .plateau(factor: 0.5, patience: 1, minimum: 1e-5)

    let reference = try Regressor(seed: 2)
    let full = try Trainer(model: reference, options: o, reader: data.reader, noise: noise).run()

    let checkpoint = data.directory.appendingPathComponent("run/checkpoint.safetensors")
    let first = try Regressor(seed: 2)
    let interrupted = Trainer(model: first, options: o, reader: data.reader, noise: noise, checkpointURL: checkpoint)
    var steps = 0
    interrupted.shouldStop = { steps += 1; return steps > 3 * 15 + 7 }  // mid-way through epoch 3 (15 steps/epoch)
    let partial = try interrupted.run()
    #expect(partial.interrupted && partial.history.count == 3)

    let second = try Regressor(seed: 99)  // a fresh process would build different initial weights: resume replaces them
    let resumed = try Trainer(model: second, options: o, reader: data.reader, noise: noise, checkpointURL: checkpoint).run(resume: true)
    // Same losses and learning rates epoch by epoch (timings aside), and bit-identical final weights.
    #expect(resumed.history == full.history.enumerated().map { i, m in
        var m = m
        m.seconds = resumed.history[i].seconds
        m.samplesPerSecond = resumed.history[i].samplesPerSecond
        return m
    })
    #expect(second.parameterDictionary() == reference.parameterDictionary())
}

@Test func aNonFiniteLossStopsWithADiagnosticAndKeepsTheCheckpoint() throws {
    let data = try RegressionDataset(rows: 400)
    let checkpoint = data.directory.appendingPathComponent("checkpoint.safetensors")
    let model = try Regressor(seed: 3)
    _ = try Trainer(model: model, options: options(epochs: 1), reader: data.reader, noise: nil, checkpointURL: checkpoint).run()
    let before = try Data(contentsOf: checkpoint)
    model.poison = true
    let error = #expect(throws: TrainingError.self) {
        try Trainer(model: model, options: options(epochs: 2), reader: data.reader, noise: nil, checkpointURL: checkpoint).run(resume: true)
    }
    guard case .nonFiniteLoss(epoch: 1, step: 0, _)? = error else {
        Issue.record("expected a non-finite loss at epoch 1 step 0, got \(String(describing: error))")
        return
    }
    #expect(try Data(contentsOf: checkpoint) == before)
    #expect(error?.description.contains("checkpoint is intact") == true)
}

@Test func aCheckpointFromAnotherRunIsRefused() throws {
    let data = try RegressionDataset(rows: 400)
    let checkpoint = data.directory.appendingPathComponent("checkpoint.safetensors")
    _ = try Trainer(model: try Regressor(seed: 3), options: options(epochs: 1), reader: data.reader, noise: nil,
                    checkpointURL: checkpoint).run()
    var other = options(epochs: 2)
    other.learningRate = 0.1
    #expect(throws: TrainingError.self) {
        try Trainer(model: try Regressor(seed: 3), options: other, reader: data.reader, noise: nil,
                    checkpointURL: checkpoint).run(resume: true)
    }
}

@Test func metricsLogHasOneJSONLinePerEpoch() throws {
    let data = try RegressionDataset(rows: 400)
    let log = data.directory.appendingPathComponent("metrics.jsonl")
    _ = try Trainer(model: try Regressor(seed: 5), options: options(epochs: 3), reader: data.reader, noise: nil,
                    metricsURL: log).run()
    let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 3)
    let decoded = try lines.map { try JSONDecoder().decode(EpochMetrics.self, from: Data($0.utf8)) }
    #expect(decoded.map(\.epoch) == [0, 1, 2])
}

@Test("2 and 3 thread workers follow the single-worker loss trajectory", arguments: [2, 3])
func threadWorkersMatchOneWorker(workers: Int) throws {
    let data = try RegressionDataset(rows: 800)
    let noise = try NoiseAugmentation(sigma: [0.05, 0.05, 0.05], seed: 3)
    let single = try Trainer(model: try Regressor(seed: 4), options: options(epochs: 4), reader: data.reader, noise: noise).run()
    let group = try ThreadCommunicatorGroup(size: workers)
    let results = try group.run { communicator in
        // Each worker owns a replica built from the same seed, and its own reader.
        let reader = try TrainingDatasetReader(contentsOf: data.reader.url)
        return try Trainer(model: try Regressor(seed: 4), options: options(epochs: 4), reader: reader, noise: noise,
                           communicator: communicator).run()
    }
    for result in results {
        for (a, b) in zip(result.history, single.history) {
            // Only the summation order of the batch gradient differs (slices summed per worker, then across
            // workers): relative differences of ~1e-6 per step, compounding over 4 epochs of Adam to well under 1e-3.
            #expect(abs(a.trainingLoss - b.trainingLoss) <= 1e-3 * abs(b.trainingLoss))
            #expect(abs(a.validationLoss - b.validationLoss) <= 1e-3 * abs(b.validationLoss))
        }
    }
    // Replicas stay identical to each other bit for bit: they apply the same all-reduced gradient.
    #expect(results.allSatisfy { $0.bestParameters == results[0].bestParameters })
}
