import Foundation
import NPEData
import NPEModels
import NPEParallel
import NPERegistry
import NPESupport
import NPETraining

extension FlexARETrainingSession {
    /// What one worker's training produced.
    public struct WorkerOutcome {
        /// The best validation epoch's weights are loaded into it.
        public var model: FlexAREModel
        public var history: [FlexAREEpochMetrics]
        public var bestEpoch: Int
        public var interrupted: Bool
    }

    /// Trains this worker's replica (once per worker, with its communicator); the root checkpoints every epoch.
    public func train(communicator: Communicator, shouldStop: @escaping () -> Bool = { false },
                      onStep: ((Int, Int, Float) -> Void)? = nil, onEpoch: ((FlexAREEpochMetrics) -> Void)? = nil) throws -> WorkerOutcome {
        let reader = try TrainingDatasetReader(contentsOf: request.datasetFile)
        defer { try? reader.close() }
        let model = try FlexAREModel(architecture: architecture, seed: options.seed)
        let trainer = try FlexARETrainer(model: model, options: options, pairs: pairs, communicator: communicator)
        trainer.shouldStop = shouldStop
        trainer.onEpoch = onEpoch
        trainer.onStep = onStep
        try FileManager.default.createDirectory(at: request.checkpointDirectory, withIntermediateDirectories: true)
        let history = try trainer.run(reader: reader, checkpointURL: request.checkpointURL, resume: request.resume, rowFilter: rowFilter)
        if !trainer.interrupted { try model.load(trainer.bestWeights) }
        return WorkerOutcome(model: model, history: history, bestEpoch: trainer.bestEpoch, interrupted: trainer.interrupted)
    }

    /// Publishes the best epoch's model as the next version (root only), with `metrics.jsonl` and the config
    /// file as `train.yaml`, then removes the checkpoint.
    public func publish(_ outcome: WorkerOutcome, workers: Int) throws -> ModelVersionID {
        let lineEncoder = JSONEncoder()
        lineEncoder.outputFormatting = [.sortedKeys]
        let log = try outcome.history.map { String(decoding: try lineEncoder.encode($0), as: UTF8.self) + "\n" }.joined()
        var files = ["metrics.jsonl": Data(log.utf8)]
        if let text = request.configurationText { files["train.yaml"] = Data(text.utf8) }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let record = FlexARERunRecord(
            kind: role.cardKind, training: request.configuration.training, flexare: configuration, options: options,
            noise: pairs.noise?.noise.source, maskSegments: pairs.mask?.segments.map(\.name), configurationFile: request.configurationText != nil,
            epochsRun: outcome.history.count, bestEpoch: outcome.bestEpoch, workers: workers, outlierFilter: rowFilter,
            rejectedFractionEstimate: rejectedFraction)
        let recordJSON = try JSONDecoder().decode(JSONValue.self, from: try encoder.encode(record))
        var metrics: [String: Double] = [
            "epochs": Double(outcome.history.count), "best_epoch": Double(outcome.bestEpoch),
            "training_seconds": outcome.history.reduce(0) { $0 + $1.seconds },
        ]
        if outcome.history.indices.contains(outcome.bestEpoch) {
            let best = outcome.history[outcome.bestEpoch]
            metrics["validation_rmse"] = best.validationRMSE
            metrics["validation_accuracy"] = best.validationAccuracy
            metrics["validation_rmse_ppm"] = best.validationRMSEPPM
        }
        let (parameters, lineage) = try PosteriorModel.priorRecord(prior, lineage: lineage)
        let grid = InputGrid(wavelengths: metadata.wavelength, binWidths: metadata.binWidth.isEmpty ? nil : metadata.binWidth)
        let card = try outcome.model.card(parameters: parameters, inputGrid: grid, dataset: lineage,
                                          training: TrainingRecord(configuration: recordJSON, seed: options.seed),
                                          metrics: metrics, toolVersion: PosteriorModel.toolVersion)
        let id = try ModelRegistry(root: request.registry).publish(name: request.modelName, card: card,
                                                                   weights: outcome.model.namedTensors(), files: files)
        try? FileManager.default.removeItem(at: request.checkpointURL)
        checkpointLock?.release(removingFile: true)
        rmdir(request.checkpointDirectory.path)  // only if nothing else is in it
        return id
    }
}

/// The training record of a FlexARE card: the effective settings and how the run went.
struct FlexARERunRecord: Encodable {
    var kind: String
    var training: TrainingOptions
    var flexare: FlexAREConfiguration
    var options: FlexARETrainingOptions
    /// The declared noise the inputs carried (nil: clean inputs).
    var noise: String?
    /// The instrument segments the imputer's masks drop (nil for the denoiser).
    var maskSegments: [String]?
    var configurationFile: Bool
    var epochsRun: Int
    var bestEpoch: Int
    var workers: Int
    var outlierFilter: OutlierFilter?
    var rejectedFractionEstimate: Double
}
