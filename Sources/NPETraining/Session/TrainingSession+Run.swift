import Foundation
import NPEData
import NPEFlows
import NPEModels
import NPEParallel
import NPERegistry
import NPETensor
import NPESupport

extension TrainingSession {
    /// What one worker's training produced.
    public struct WorkerOutcome {
        /// The estimator holding the best weights.
        public var estimator: NeuralPosteriorEstimator
        public var result: Trainer<NeuralPosteriorEstimator>.Result
    }

    /// Progress callbacks (called on the root worker only).
    public struct Observers {
        public var onStep: ((Int, Int, Int, Float) -> Void)?
        public var onEpoch: ((EpochMetrics) -> Void)?
        public init(onStep: ((Int, Int, Int, Float) -> Void)? = nil, onEpoch: ((EpochMetrics) -> Void)? = nil) {
            self.onStep = onStep
            self.onEpoch = onEpoch
        }
    }

    /// Trains this worker's replica. Call once per worker (thread or MPI rank), each with its communicator; every
    /// replica starts from the same seed and stays identical.
    ///
    /// - Parameter shouldStop: polled between steps; when any worker sees true, all stop after the same step and
    ///   the root writes a checkpoint (``Trainer/Result/interrupted`` is then set).
    public func train(communicator: Communicator, shouldStop: @escaping () -> Bool = { false },
                      observers: Observers = Observers()) throws -> WorkerOutcome {
        let options = configuration.training
        let reader = try TrainingDatasetReader(contentsOf: request.datasetFile)
        let estimator = try NeuralPosteriorEstimator(
            architecture: architecture, standardization: standardization,
            stream: RandomStream(seed: options.seed).child(Self.initialisationStream))
        let trainer = Trainer(
            model: estimator, options: options, reader: reader,
            noise: noise.map { NoiseAugmentation(noise: $0, seed: options.seed) }, communicator: communicator,
            checkpointURL: request.checkpointURL, metricsURL: request.metricsURL, rowFilter: rowFilter,
            mask: mask)
        trainer.shouldStop = shouldStop
        trainer.expectedTrainingRows = expectedTrainingRows
        trainer.onStep = observers.onStep
        trainer.onEpoch = observers.onEpoch
        let result = try trainer.run(resume: request.resume)
        return WorkerOutcome(estimator: estimator, result: result)
    }

    /// The stream id that initialises the network's weights, apart from the split, shuffles and noise.
    static let initialisationStream: UInt64 = 0x1417

    /// Publishes the trained estimator as the next version of the model (root worker only), with the metrics log
    /// attached as `metrics.jsonl` (and the config file as `train.yaml`), then removes the checkpoint directory's
    /// files: the registry entry now holds the result.
    public func publish(_ outcome: WorkerOutcome, workers: Int) throws -> ModelVersionID {
        let result = outcome.result
        let record = TrainingRunRecord(
            configuration: configuration, configurationFile: request.configurationText != nil,
            validationSplit: DataSplit(seed: configuration.training.seed,
                                       validationFraction: configuration.training.validationFraction),
            epochsRun: result.history.count, bestEpoch: result.bestEpoch, stoppedEarly: result.stoppedEarly,
            stoppingReason: result.stoppingReason,
            workers: workers, standardizationRows: min(Self.standardizationRows, rowCount),
            outlierFilter: rowFilter, rejectedFractionEstimate: rejectedFraction, maskAugmentation: mask)
        var metrics: [String: Double] = [
            "best_validation_loss": Double(result.bestValidationLoss), "best_epoch": Double(result.bestEpoch),
            "epochs": Double(result.history.count),
            "training_seconds": result.history.reduce(0) { $0 + $1.seconds },
        ]
        if let last = result.history.last { metrics["final_training_loss"] = Double(last.trainingLoss) }
        if let first = result.history.first { metrics["first_validation_loss"] = Double(first.validationLoss) }
        let card = try PosteriorModel.makeCard(
            estimator: outcome.estimator, prior: prior, dataset: metadata, lineage: lineage, noise: noise,
            training: TrainingRecord(configuration: try record.jsonValue(), seed: configuration.training.seed),
            metrics: metrics)
        var files = ["metrics.jsonl": (try? Data(contentsOf: request.metricsURL)) ?? Data()]
        if let text = request.configurationText { files["train.yaml"] = Data(text.utf8) }
        let id = try PosteriorModel.publish(outcome.estimator, name: request.modelName,
                                            to: ModelRegistry(root: request.registry), card: card, files: files)
        for url in [request.checkpointURL, request.metricsURL] { try? FileManager.default.removeItem(at: url) }
        checkpointLock?.release(removingFile: true)
        rmdir(request.checkpointDirectory.path)  // removes the directory only if nothing else is in it
        return id
    }
}

/// The training record stored in the model card: the full effective configuration and how the run went.
struct TrainingRunRecord: Encodable {
    var configuration: TrainingConfiguration
    /// Whether a config file was given (its text is attached as `train.yaml`).
    var configurationFile: Bool
    var validationSplit: DataSplit
    var epochsRun: Int
    var bestEpoch: Int
    var stoppedEarly: Bool
    /// Why it ended (`validation_stopped_improving` or `epoch_budget_reached`); `configuration.epoch_budget` says
    /// whether the cap was automatic.
    var stoppingReason: StoppingReason
    var workers: Int
    var standardizationRows: Int
    /// The per-bin acceptance intervals of x, and the fraction of the standardisation sample outside them.
    var outlierFilter: OutlierFilter?
    var rejectedFractionEstimate: Double
    /// The resolved masks (segments as bin ranges, probabilities, seed), for a mask-aware model.
    var maskAugmentation: MaskAugmentation?

    func jsonValue() throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return try JSONDecoder().decode(JSONValue.self, from: try encoder.encode(self))
    }
}
