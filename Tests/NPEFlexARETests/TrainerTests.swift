import Foundation
import NPEData
import NPEModels
import NPETensor
import NPETestSupport
import NPETraining
import Testing
@testable import NPEFlexARE

/// Small runs on toy spectra (1000 rows, tiny networks, a few epochs: about a second each unloaded).
@Suite struct TrainerTests {
    static func pairs(reader: TrainingDatasetReader, noise sigma: Float?, masked: Bool, seed: UInt64 = 3) throws -> TrainingPairs {
        let rows = try reader.readRows(0..<min(reader.rowCount, 800))
        let scaling = SpectrumScaling(x: rows.x, count: rows.theta.count / 3)
        let m = ToySpectra.binCount
        let noise = try sigma.map { try NoiseAugmentation(sigma: [Float](repeating: $0, count: m), seed: seed) }
        let mask = masked ? try MaskAugmentation(binCount: m, segments: ToySpectra.segments, probability: 1, segmentProbability: 0.5,
                                                  randomBinRate: 0, seed: seed) : nil
        return TrainingPairs(scaling: scaling, noise: noise, mask: mask)
    }

    static func options(epochs: Int, learningRate: Float, pretrain: Int = 0) -> FlexARETrainingOptions {
        var o = FlexARETrainingOptions()
        (o.epochs, o.batchSize, o.learningRate, o.seed, o.validationFraction, o.pretrainEpochs) = (epochs, 32, learningRate, 3, 0.2, pretrain)
        return o
    }

    /// The validation RMSE (envelope scale) of a trivial reconstruction, over the same rows and bins the trainer
    /// scores: the noisy input itself for the denoiser, the per-bin training mean for the imputer.
    static func baseline(reader: TrainingDatasetReader, pairs: TrainingPairs, imputing: Bool) throws -> Double {
        let stream = try EpochBatchStream(reader: reader, split: DataSplit(seed: 3, validationFraction: 0.2), part: .validation,
                                          epoch: 0, seed: 3, batchSize: 256)
        var accuracy = ReconstructionAccuracy(scaling: pairs.scaling)
        let m = ToySpectra.binCount
        while let batch = try stream.next() {
            let (input, observed, _) = try pairs.make(batch, epoch: 0)
            let guess = imputing ? batch.x.scalars.indices.map { pairs.scaling.mean[$0 % m] } : pairs.scaling.destandardized(input.scalars)
            accuracy.add(reconstruction: guess, truth: batch.x.scalars, bins: imputing ? { observed.scalars[$0 * m + $1] == 0 } : nil)
        }
        return accuracy.rmse
    }

    /// The denoiser learns to beat its own input: with σ = 4·10⁻³ (a fifth of a bin's envelope), reconstructing
    /// the input as it is scores RMSE ≈ 0.2; the trained autoencoder, which only needs the band's level and shape,
    /// must do better than 0.6 of that (a margin that a network that learned nothing, scoring ≈ 0.29 with the mean,
    /// cannot meet).
    @Test func denoiserBeatsItsNoisyInput() throws {
        Engine.configure(blasThreads: 1)
        let directory = try makeTemporaryDirectory("flexare-denoiser")
        defer { try? FileManager.default.removeItem(at: directory) }
        let reader = try ToySpectra.dataset(rows: 1000, in: directory)
        let pairs = try Self.pairs(reader: reader, noise: 4e-3, masked: false)
        var settings = FlexAREConfiguration()
        (settings.denoiser.hiddenWidths, settings.denoiser.latent) = ([64], 8)
        let model = try FlexAREModel(architecture: FlexAREArchitecture(role: .denoiser, scaling: pairs.scaling, configuration: settings), seed: 1)
        let trainer = try FlexARETrainer(model: model, options: Self.options(epochs: 6, learningRate: 2e-3), pairs: pairs)
        let history = try trainer.run(reader: reader)
        let identity = try Self.baseline(reader: reader, pairs: pairs, imputing: false)
        #expect(history.count == 6 && history.allSatisfy { $0.phase == "train" && $0.trainingLoss.isFinite })
        #expect((0.15...0.25).contains(identity), "identity RMSE \(identity)")
        let best = history[trainer.bestEpoch].validationRMSE
        #expect(best < 0.6 * identity, "denoised \(best) vs noisy \(identity): \(history.map(\.validationRMSE))")
        #expect(best == history.map(\.validationRMSE).min())
    }

    /// The imputer fills masked instrument segments better than the per-bin training mean does (the best a
    /// network that ignores the observed bins can do), after pre-training and adversarial epochs.
    @Test func imputerBeatsMeanImputation() throws {
        Engine.configure(blasThreads: 1)
        let directory = try makeTemporaryDirectory("flexare-imputer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let reader = try ToySpectra.dataset(rows: 1000, in: directory)
        let pairs = try Self.pairs(reader: reader, noise: nil, masked: true)
        var settings = FlexAREConfiguration()
        (settings.imputer.channels, settings.imputer.discriminatorWidths) = (4, [32])
        let model = try FlexAREModel(architecture: FlexAREArchitecture(role: .imputer, scaling: pairs.scaling, configuration: settings), seed: 2)
        let trainer = try FlexARETrainer(model: model, options: Self.options(epochs: 6, learningRate: 2e-3, pretrain: 4), pairs: pairs)
        let history = try trainer.run(reader: reader)
        #expect(history.map(\.phase) == ["pretrain", "pretrain", "pretrain", "pretrain", "adversarial", "adversarial"])
        #expect(history.allSatisfy { $0.l1 != nil && $0.continuity != nil && $0.physics != nil })
        #expect(history.prefix(4).allSatisfy { $0.discriminatorLoss == nil } && history.suffix(2).allSatisfy { $0.discriminatorLoss?.isFinite == true })
        let mean = try Self.baseline(reader: reader, pairs: pairs, imputing: true)
        let best = history[trainer.bestEpoch].validationRMSE
        #expect(best < 0.8 * mean, "imputed \(best) vs mean fill \(mean): \(history.map(\.validationRMSE))")
    }

    /// A run stopped after its first epoch and resumed ends with the same weights and metrics as an uninterrupted
    /// one (the resumed epoch is adversarial: both optimisers' states travel); another run's checkpoint is refused.
    @Test func resumedImputerEqualsUninterrupted() throws {
        Engine.configure(blasThreads: 1)
        let directory = try makeTemporaryDirectory("flexare-resume")
        defer { try? FileManager.default.removeItem(at: directory) }
        let reader = try ToySpectra.dataset(rows: 300, in: directory)
        let pairs = try Self.pairs(reader: reader, noise: 1e-3, masked: true)
        var settings = FlexAREConfiguration()
        (settings.imputer.channels, settings.imputer.discriminatorWidths) = (2, [8])
        let architecture = FlexAREArchitecture(role: .imputer, scaling: pairs.scaling, configuration: settings)
        func trainer(epochs: Int, learningRate: Float = 1e-3) throws -> FlexARETrainer {
            try FlexARETrainer(model: FlexAREModel(architecture: architecture, seed: 4),
                               options: Self.options(epochs: epochs, learningRate: learningRate, pretrain: 1), pairs: pairs)
        }
        let straight = try trainer(epochs: 2)
        let straightHistory = try straight.run(reader: reader)
        let checkpoint = directory.appendingPathComponent("run/checkpoint.safetensors")
        _ = try trainer(epochs: 1).run(reader: reader, checkpointURL: checkpoint)
        let resumed = try trainer(epochs: 2)
        let resumedHistory = try resumed.run(reader: reader, checkpointURL: checkpoint, resume: true)
        #expect(resumedHistory.map(\.validationRMSE) == straightHistory.map(\.validationRMSE))
        #expect(resumedHistory.map(\.trainingLoss) == straightHistory.map(\.trainingLoss))
        #expect(resumed.model.parameterDictionary() == straight.model.parameterDictionary())
        #expect(resumed.bestWeights == straight.bestWeights)
        #expect(throws: FlexAREError.self) { try trainer(epochs: 2, learningRate: 5e-4).run(reader: reader, checkpointURL: checkpoint, resume: true) }
    }
}
