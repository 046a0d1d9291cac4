import Foundation
import NPEData
import NPEModels
import NPEParallel
import NPERegistry
import NPETraining
import NPESupport

extension ExoGANTrainingSession {
    /// What one worker's training produced.
    public struct WorkerOutcome {
        public var model: ExoGANModel
        /// Every completed epoch, a resumed run's earlier ones included.
        public var history: [GANEpochMetrics]
        /// A stop request cut the run short (the checkpoint holds the last complete epoch).
        public var interrupted: Bool
    }

    /// Trains this worker's replica; call once per worker (thread or MPI rank) with its communicator. The root
    /// writes the checkpoint after every epoch and calls `onEpoch`.
    ///
    /// - Parameter shouldStop: polled between steps; it must answer alike on every worker (as for the flow).
    public func train(communicator: Communicator, shouldStop: @escaping () -> Bool = { false },
                      onEpoch: ((GANEpochMetrics) -> Void)? = nil) throws -> WorkerOutcome {
        let reader = try TrainingDatasetReader(contentsOf: request.datasetFile)
        defer { try? reader.close() }
        let model = try ExoGANModel(architecture: architecture, seed: options.seed)
        let trainer = try GANTrainer(model: model, options: options, communicator: communicator)
        trainer.shouldStop = shouldStop
        trainer.onEpoch = onEpoch
        try FileManager.default.createDirectory(at: request.checkpointDirectory, withIntermediateDirectories: true)
        let history = try trainer.run(reader: reader, checkpointURL: request.checkpointURL, resume: request.resume,
                                      rowFilter: rowFilter)
        return WorkerOutcome(model: model, history: history, interrupted: trainer.interrupted)
    }

    /// Publishes the trained GAN as the next version of the model (root only), with `metrics.jsonl` (one
    /// ``GANEpochMetrics`` JSON line per epoch) and the config file as `train.yaml`, then removes the checkpoint.
    public func publish(_ outcome: WorkerOutcome, workers: Int) throws -> ModelVersionID {
        // The log's keys are camelCase, like the flow trainer's metrics.jsonl; the card's record is snake_case.
        let lineEncoder = JSONEncoder()
        lineEncoder.outputFormatting = [.sortedKeys]
        let log = try outcome.history.map { String(decoding: try lineEncoder.encode($0), as: UTF8.self) + "\n" }.joined()
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        var files = ["metrics.jsonl": Data(log.utf8)]
        if let text = request.configurationText { files["train.yaml"] = Data(text.utf8) }
        let record = ExoGANRunRecord(
            kind: ExoGANModel.kind, training: request.configuration.training, exogan: request.configuration.exogan,
            ganOptions: options, configurationFile: request.configurationText != nil, epochsRun: outcome.history.count,
            workers: workers, outlierFilter: rowFilter, rejectedFractionEstimate: rejectedFraction,
            contextMarginalised: prior.contextNames)
        let configuration = try JSONDecoder().decode(JSONValue.self, from: try encoder.encode(record))
        var metrics: [String: Double] = [
            "epochs": Double(outcome.history.count),
            "training_seconds": outcome.history.reduce(0) { $0 + $1.seconds },
        ]
        if let last = outcome.history.last {
            metrics["final_discriminator_loss"] = last.discriminatorLoss
            metrics["final_generator_loss"] = last.generatorLoss
            metrics["final_real_score"] = last.realScore
            metrics["final_fake_score"] = last.fakeScore
        }
        var lineage = lineage
        lineage.simulator.configuration[PosteriorModel.priorKey] = String(decoding: try JSONEncoder().encode(prior), as: UTF8.self)
        let parameters = try prior.thetaIndices.map { index -> ParameterDescription in
            let parameter = prior.parameters[index]
            let json = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(parameter))
            return ParameterDescription(name: parameter.name, unit: parameter.unit ?? "", prior: json)
        }
        let grid = InputGrid(wavelengths: metadata.wavelength, binWidths: metadata.binWidth.isEmpty ? nil : metadata.binWidth)
        let id = try outcome.model.publish(
            to: ModelRegistry(root: request.registry), name: request.modelName, parameters: parameters, inputGrid: grid,
            dataset: lineage, training: TrainingRecord(configuration: configuration, seed: options.seed),
            metrics: metrics, toolVersion: PosteriorModel.toolVersion, files: files)
        try? FileManager.default.removeItem(at: request.checkpointURL)
        checkpointLock?.release(removingFile: true)
        rmdir(request.checkpointDirectory.path)  // only if nothing else is in it
        return id
    }
}

/// The training record of an `exogan` card: the effective settings and how the run went. `exogan.restarts`,
/// `iterations` and `perceptual_weight` are the retrieval defaults `npe-infer` uses.
struct ExoGANRunRecord: Encodable {
    var kind: String
    var training: TrainingOptions
    var exogan: ExoGANConfiguration
    var ganOptions: GANTrainingOptions
    var configurationFile: Bool
    var epochsRun: Int
    var workers: Int
    var outlierFilter: OutlierFilter?
    var rejectedFractionEstimate: Double
    /// The prior's context parameters, which the image does not hold (the GAN marginalises them).
    var contextMarginalised: [String]
}
