import Foundation
import NPEInference
import NPEModels
import NPEParallel
import NPERegistry
import NPETraining

/// The neural posterior estimator (card kind `npe-flow`, `npe-train --kind flow`): NPETraining's
/// ``TrainingSession`` trains and publishes it, NPEModels' ``PosteriorModel`` loads it, and NPEInference's
/// ``EstimatorSampler`` samples it.
public struct FlowModelKind: ModelKind {
    public init() {}

    public var cardKind: String { PosteriorModel.kind }
    public var trainingName: String { "flow" }

    public func applying(_ overrides: TrainingConfiguration.Overrides, to configuration: TrainingConfiguration) throws -> TrainingConfiguration {
        try configuration.applying(overrides)
    }

    public func prepareTraining(_ request: TrainingRequest, isRoot: Bool) throws -> any ModelTrainingRun {
        FlowTrainingRun(session: try TrainingSession(request: request, isRoot: isRoot))
    }

    public func inferenceJob(for loaded: LoadedModel, catalogue: InferenceCatalogue, settings: InferenceSettings,
                             predictiveRequested: Bool) throws -> (job: InferenceJob, note: String?) {
        let model = try PosteriorModel(loaded: loaded)
        var settings = settings
        var note: String?
        var likelihood: SimulatorLikelihood?
        if settings.importanceSampling || settings.predictiveCheck {
            do {
                likelihood = try TrainingSimulators.likelihood(of: model)
            } catch let error where !settings.importanceSampling && !predictiveRequested {
                settings.predictiveDraws = 0
                note = "posterior predictive check off: \(error)"
            }
        }
        let estimator = model.estimator
        // One fixed noise row and no scale range: the model was trained for exactly that σ, which then serves
        // targets that come without σ.
        let defaultSigma = model.noise.flatMap { noise in
            noise.sigmaRows.count == 1 && noise.scaleRange == nil ? noise.sigmaRows[0].map(Double.init) : nil
        }
        let requirements = ModelRequirements(
            reference: model.id.description, kind: PosteriorModel.kind, weightsSHA256: model.weightsSHA256,
            parameterNames: model.parameterNames, parameterUnits: model.parameterUnits, wavelengths: model.wavelengths,
            binCount: estimator.architecture.xCount, contextNames: model.contextNames, defaultSigma: defaultSigma,
            cardSHA256: TrainingSimulators.cardDigest(of: loaded))
        let standardization = estimator.standardization
        let screening = TargetScreening(
            xMean: standardization.xMean.map(Double.init), xStandardDeviation: standardization.xScale.map(Double.init),
            contextPrior: model.contextNames.isEmpty ? nil : model.prior, zThreshold: settings.zThreshold)
        let job = try InferenceJob(
            catalogue: try catalogue.read(contextNames: model.contextNames), catalogueSHA256: catalogue.sha256,
            model: requirements, sampler: EstimatorSampler(estimator: estimator, parameterNames: model.parameterNames),
            samplerReadsSigma: estimator.architecture.noiseLevelInput, likelihood: likelihood,
            screening: screening, settings: settings)
        return (job, note)
    }

    public func validationModel(for loaded: LoadedModel) throws -> ValidationModel {
        try ValidationModel(try PosteriorModel(loaded: loaded))
    }
}

/// A flow training run: ``TrainingSession`` behind the ``ModelTrainingRun`` surface.
final class FlowTrainingRun: ModelTrainingRun {
    let session: TrainingSession

    init(session: TrainingSession) { self.session = session }

    var request: TrainingRequest { session.request }
    var epochBudget: Int { session.configuration.training.epochs }
    var batchSize: Int { session.configuration.training.batchSize }
    var stopNotice: String { "Stopping after the current step and writing a checkpoint (again to quit now)..." }

    func announcement(workers: Int) -> String {
        let c = session.configuration
        let budget = c.epochBudget == .automatic
            ? "until validation stops improving (patience \(c.training.patience)), at most \(c.training.epochs) epochs"
            : "up to \(c.training.epochs) epochs (patience \(c.training.patience))"
        let noise = session.noise.map { "\($0.source) (\($0.sigmaRows.count) σ rows" + ($0.scaleRange.map { ", scale \($0.lowerBound)–\($0.upperBound)" } ?? "") + ")" } ?? "none"
        let text = """
            dataset: \(session.request.datasetFile.path) (\(session.rowCount) rows, θ \(session.metadata.parameterCount), \
            context \(session.metadata.contextCount), x \(session.metadata.featureCount))
            model: \(c.flow.kind.rawValue) × \(c.flow.transforms), hidden \(c.flow.hiddenWidths), embedding \
            \(c.embedding.kind.rawValue); noise: \(noise); noise-level input: \(session.architecture.noiseLevelInput)
            batch \(c.training.batchSize), learning rate \(c.training.learningRate), \(budget), \
            \(workers) worker\(workers == 1 ? "" : "s")\(session.request.resume ? ", resuming" : "")
            """
        var masks = ""
        if let mask = session.mask {
            let segments = mask.segments.map { "\($0.name) \($0.first == $0.last ? "\($0.first)" : "\($0.first)–\($0.last)")" }
            masks = String(format: "\nmasks: %.2g of rows each epoch; ", mask.probability)
                + (segments.isEmpty ? "no segments" : "segments \(segments.joined(separator: ", ")) dropped with p \(mask.segmentProbability)")
                + "; single bins at a rate up to \(mask.randomBinRate)"
        }
        return text + masks + OutlierFilter.announcement(rejectedFraction: session.rejectedFraction, limit: c.training.outlierLimit)
    }

    func train(communicator: Communicator, shouldStop: @escaping () -> Bool, events: TrainingEvents) throws -> TrainingSession.WorkerOutcome {
        let epochs = epochBudget
        var best = Float.infinity
        let onEpoch = events.onEpoch.map { report in
            { (m: EpochMetrics) in
                let improved = m.validationLoss < best
                best = min(best, m.validationLoss)
                report(m.epoch, m.validationLoss, String(
                    format: "epoch %d/%d: loss %.4f  val %.4f%@  lr %.2e  %.0f samples/s  %.1f s",
                    m.epoch + 1, epochs, m.trainingLoss, m.validationLoss, improved ? " (best)" : "",
                    m.learningRate, m.samplesPerSecond, m.seconds))
            }
        }
        return try session.train(communicator: communicator, shouldStop: shouldStop,
                                 observers: TrainingSession.Observers(onStep: events.onStep, onEpoch: onEpoch))
    }

    func wasInterrupted(_ outcome: TrainingSession.WorkerOutcome) -> Bool { outcome.result.interrupted }

    func summary(of outcome: TrainingSession.WorkerOutcome) -> String {
        let result = outcome.result
        return String(format: "%@ after %d epochs; best validation loss %.4f at epoch %d", result.stoppingReason.summary,
                      result.history.count, result.bestValidationLoss, result.bestEpoch + 1)
    }

    func publish(_ outcome: TrainingSession.WorkerOutcome, workers: Int) throws -> ModelVersionID {
        try session.publish(outcome, workers: workers)
    }
}
