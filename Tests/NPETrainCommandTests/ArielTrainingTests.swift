import Foundation
import NPEData
import NPEModels
import NPERegistry
import NPETensor
import NPETestSupport
import Testing
import NPESupport

/// The default ARIEL model end to end: a small dataset from the built-in simulator and prior (7 θ, 2 context
/// inputs, 52 bins), trained with the default configuration (Ariel MCS per-target noise, noise level as an input)
/// for a few epochs, published, and loaded back.
@Suite
struct ArielTrainingTests {
    init() throws { try #require(CommandHarness.available, "npe-train or npe-build-dataset is not built: run swift build --build-tests first") }

    @Test func validationLossFallsAndThePublishedModelLoadsBack() throws {
        let h = try CommandHarness()
        try h.buildDataset(["--rows", "4000", "--out", "ariel", "--seed", "2", "--threads", "2"])
        let result = try h.train(["--dataset", "ariel", "--registry", "reg", "--name", "ariel", "--epochs", "12",
                                  "--batch-size", "128"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("published ariel@1"))
        #expect(result.errors.contains("722 σ rows"), "the default noise is the Ariel MCS per-target table: \(result.errors)")

        let metrics = try h.publishedMetrics(registry: "reg", reference: "ariel@1")
        let first = metrics[0].validationLoss, best = metrics.map(\.validationLoss).min()!
        // The loss is −log q in θ's own units; it starts near the prior's entropy (20.6 nats) and the first
        // epoch's validation loss is about 20.1. A working run lowers it by about 1.7 nats in 12 epochs here (the
        // per-target noise hides much of each spectrum); 1 nat, a posterior e times more concentrated, separates a
        // learning run from a stalled one (a run on unfiltered data, with 10³⁶ depths in x, moved 0.04 nats).
        #expect(best < first - 1, "validation losses \(metrics.map(\.validationLoss))")

        let registry = ModelRegistry(root: h.url("reg"))
        let loaded = try registry.load("ariel@1")
        #expect(loaded.attachedFileNames.contains("metrics.jsonl"))
        let model = try PosteriorModel(loaded: loaded)
        #expect(model.parameterNames.count == 7 && model.contextNames.count == 2)
        #expect(model.wavelengths.count == 52)
        #expect(model.noise?.sigmaRows.count == 722)
        #expect(model.estimator.architecture.noiseLevelInput)
        #expect(model.card.dataset.rowCount == 4000)

        // The loaded model samples a spectrum of the training set, with its context and a per-target σ, inside
        // the prior's support.
        let reader = try TrainingDatasetReader(contentsOf: h.url("ariel/dataset.h5"))
        let row = try reader.readRows(0..<1)
        let x = try Tensor(shape: [1, 52], scalars: row.x)
        let sigma = try Tensor(shape: [1, 52], scalars: model.noise!.sigmaRows[0])
        let context = try Tensor(shape: [1, 2], scalars: row.context!)
        let (samples, logq) = try model.estimator.sample(given: x, sigma: sigma, context: context, count: 200,
                                                         stream: RandomStream(seed: 1))
        #expect(samples.shape == [1, 200, 7] && logq.scalars.allSatisfy(\.isFinite))
        for (j, support) in model.estimator.architecture.thetaSupports.enumerated() {
            #expect((0..<200).allSatisfy { support.contains(Double(samples.scalars[$0 * 7 + j])) })
        }
    }
}
