import Foundation
import NPEData
import NPETensor
import NPETraining
import Testing
@testable import NPEGAN

/// A toy-problem training dataset on disk, written through the same writer the dataset builder uses.
private func writeToyDataset(rows: Int, bins: Int = 52, in directory: URL) throws -> TrainingDatasetReader {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent("toy.h5")
    let metadata = TrainingDatasetMetadata(
        parameterNames: ["a", "b", "c"], parameterUnits: ["", "", ""], priorJSON: "{}", contextNames: [],
        wavelength: (0..<bins).map { Double($0) }, binWidth: [Double](repeating: 1, count: bins), simulatorName: "toy",
        simulatorVersion: "1", simulatorConfigurationJSON: "{}", noiseModelJSON: "{}", seed: 1)
    let writer = try TrainingDatasetWriter(creatingAt: url, metadata: metadata, chunkRows: 64)
    let (theta, x) = try ToyProblem.rows(rows, seed: 41)
    for r in 0..<rows {
        try writer.append(theta: Array(theta.scalars[(3 * r)..<(3 * r + 3)]), x: Array(x.scalars[(52 * r)..<(52 * r + bins)]))
    }
    _ = try writer.commit()
    return try TrainingDatasetReader(contentsOf: url)
}

/// `run(reader:)` streams the dataset's training rows (the flow trainer's split) for every epoch, and refuses a
/// dataset whose spectra are not on the 52-bin grid before any work starts.
@Test func trainingStreamsTheDatasetSplit() throws {
    Engine.configure(blasThreads: 1)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("exonpe-gan-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let reader = try writeToyDataset(rows: 320, in: directory)
    var options = GANTrainingOptions()
    options.epochs = 2
    options.batchSize = 32
    options.validationFraction = 0.25
    let trainer = try GANTrainer(model: ExoGANModel(architecture: ToyProblem.architecture(), seed: 7), options: options)
    let history = try trainer.run(reader: reader)
    #expect(history.map(\.epoch) == [0, 1])
    // About 240 of 320 rows are training rows; full batches of 32 only.
    for metrics in history {
        #expect(metrics.rows % 32 == 0 && (160...288).contains(metrics.rows), "\(metrics.rows) rows")
        #expect(metrics.discriminatorLoss.isFinite && metrics.generatorLoss.isFinite)
    }

    // The fitted depth range covers the toy depths, 10^(−3 + a)·(band)·(slope) ∈ [1e-3, 2.24e-2] (the extremes are
    // approached, not reached, by 240 uniform draws), with half a decade each side.
    let fitted = try ASPAEncoding.fitted(reader: reader, split: DataSplit(seed: 0, validationFraction: 0.25),
                                         parameterLow: ToyProblem.low, parameterHigh: ToyProblem.high)
    #expect((-3.5 ... -3.3).contains(fitted.logDepthLow), "\(fitted.logDepthLow)")
    #expect((-1.4 ... -1.15).contains(fitted.logDepthHigh), "\(fitted.logDepthHigh)")

    let narrow = try writeToyDataset(rows: 10, bins: 51, in: directory.appendingPathComponent("narrow"))
    #expect(throws: ExoGANError.spectrumLength(expected: 52, got: 51)) { try trainer.run(reader: narrow) }
    #expect(throws: ExoGANError.spectrumLength(expected: 52, got: 51)) {
        try ASPAEncoding.fitted(reader: narrow, split: DataSplit(seed: 0, validationFraction: 0), parameterLow: [0], parameterHigh: [1])
    }
}

/// A run stopped after one epoch and resumed from its checkpoint ends bit-identical to an uninterrupted run; an
/// interrupted epoch is discarded; a checkpoint of another run is refused.
@Test func resumedRunEqualsUninterruptedRun() throws {
    Engine.configure(blasThreads: 1)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("exonpe-gan-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let reader = try writeToyDataset(rows: 200, in: directory)
    let checkpoint = directory.appendingPathComponent("run/checkpoint.safetensors")
    func trainer(epochs: Int, seed: UInt64 = 0) throws -> GANTrainer {
        var options = GANTrainingOptions()
        options.epochs = epochs
        options.batchSize = 32
        options.seed = seed
        return try GANTrainer(model: ExoGANModel(architecture: ToyProblem.architecture(), seed: 8), options: options)
    }
    let straight = try trainer(epochs: 2)
    let straightHistory = try straight.run(reader: reader)

    let first = try trainer(epochs: 1)
    _ = try first.run(reader: reader, checkpointURL: checkpoint)
    let resumed = try trainer(epochs: 2)
    let resumedHistory = try resumed.run(reader: reader, checkpointURL: checkpoint, resume: true)
    #expect(resumed.model.parameterDictionary() == straight.model.parameterDictionary())
    #expect(resumedHistory.map(\.discriminatorLoss) == straightHistory.map(\.discriminatorLoss))

    let stopped = try trainer(epochs: 2)
    stopped.shouldStop = { true }
    #expect(try stopped.run(reader: reader).isEmpty)
    #expect(stopped.interrupted)

    #expect(throws: ExoGANError.self) { try trainer(epochs: 2, seed: 9).run(reader: reader, checkpointURL: checkpoint, resume: true) }
}
