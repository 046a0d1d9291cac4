import Foundation
import NPEGAN
import NPEInference
import NPEModels
import NPEParallel
import NPERegistry
import NPETraining

/// The ExoGAN baseline (card kind `exogan`, `npe-train --kind exogan`): NPEGAN's ``ExoGANTrainingSession`` trains
/// and publishes it, ``ExoGANModel`` loads it, and ``InpaintingSampler`` samples it by inpainting restarts. A GAN
/// has no density q(θ|x): importance sampling and `npe-validate` refuse it with a clear error.
public struct ExoGANModelKind: ModelKind {
    public init() {}

    public var cardKind: String { ExoGANModel.kind }
    public var trainingName: String { "exogan" }
    public var configurationSections: [any TrainingConfigurationSection.Type] { [ExoGANConfiguration.self] }

    /// The GAN's batch and step size live in `exogan:` (DCGAN defaults), so `--batch-size` and `--learning-rate`
    /// set those.
    public func applying(_ overrides: TrainingConfiguration.Overrides, to configuration: TrainingConfiguration) throws -> TrainingConfiguration {
        var configuration = configuration
        if let batchSize = overrides.batchSize { configuration.exogan.batchSize = batchSize }
        if let learningRate = overrides.learningRate { configuration.exogan.learningRate = learningRate }
        return try configuration.applying(.init(epochs: overrides.epochs, seed: overrides.seed))
    }

    public func prepareTraining(_ request: TrainingRequest, isRoot: Bool) throws -> any ModelTrainingRun {
        ExoGANTrainingRun(session: try ExoGANTrainingSession(request: request, isRoot: isRoot))
    }

    /// Samples are inpainting restarts, log q is NaN, so importance sampling is refused before any work. The
    /// catalogue needs no σ or context (the image holds neither).
    public func inferenceJob(for loaded: LoadedModel, catalogue: InferenceCatalogue, settings: InferenceSettings,
                             predictiveRequested: Bool) throws -> (job: InferenceJob, note: String?) {
        var settings = settings
        var note: String?
        if settings.predictiveCheck && !predictiveRequested {
            settings.predictiveDraws = 0
            note = "posterior predictive check off: \(loaded.id) is an exogan model (pass --predictive-draws to ask for it)"
        } else if settings.predictiveCheck {
            throw InferenceError.invalidSetting(
                name: "--predictive-draws", reason: "\(loaded.id) is an exogan model; the predictive check needs an npe-flow model's recorded simulator")
        }
        if settings.importanceSampling {
            throw InferenceError.invalidSetting(
                name: "--importance-sampling",
                reason: "\(loaded.id) is an exogan model: a GAN has no density q(θ|x), so there are no importance weights")
        }
        let model = try ExoGANModel(loaded: loaded)
        let card = loaded.card
        let names = card.parameters.map(\.name)
        let requirements = ModelRequirements(
            reference: loaded.id.description, kind: ExoGANModel.kind, weightsSHA256: loaded.card.weights.sha256,
            parameterNames: names, parameterUnits: card.parameters.map(\.unit), wavelengths: card.inputGrid?.wavelengths,
            binCount: ASPALayout.binCount, contextNames: [], defaultSigma: nil,
            cardSHA256: TrainingSimulators.cardDigest(of: loaded))
        // Out of training range: a depth outside the encoding's log-depth range (the |z| test with the range's
        // midpoint and half-width over the threshold flags exactly the depths outside [10^low, 10^high]).
        let low = pow(10, model.encoding.logDepthLow), high = pow(10, model.encoding.logDepthHigh)
        let screening = TargetScreening(
            xMean: [Double](repeating: (low + high) / 2, count: ASPALayout.binCount),
            xStandardDeviation: [Double](repeating: (high - low) / 2 / settings.zThreshold, count: ASPALayout.binCount),
            contextPrior: nil, zThreshold: settings.zThreshold)
        let sampler = InpaintingSampler(model: model, parameterNames: names, options: InpaintingSampler.options(recordedIn: card))
        let job = try InferenceJob(
            catalogue: try catalogue.read(contextNames: []), catalogueSHA256: catalogue.sha256,
            model: requirements, sampler: sampler, samplerReadsSigma: false, likelihood: nil,
            screening: screening, settings: settings)
        return (job, note)
    }

    /// Validation scores a density; the loader's kind check says why a GAN cannot be scored.
    public func validationModel(for loaded: LoadedModel) throws -> ValidationModel {
        try ValidationModel(try PosteriorModel(loaded: loaded))
    }
}

/// An ExoGAN training run: ``ExoGANTrainingSession`` behind the ``ModelTrainingRun`` surface.
final class ExoGANTrainingRun: ModelTrainingRun {
    let session: ExoGANTrainingSession

    init(session: ExoGANTrainingSession) { self.session = session }

    var request: TrainingRequest { session.request }
    var epochBudget: Int { session.options.epochs }
    var batchSize: Int { session.options.batchSize }
    var stopNotice: String { "Stopping: discarding the unfinished epoch, the checkpoint keeps the last one (again to quit now)..." }

    func announcement(workers: Int) -> String {
        let g = session.request.configuration.exogan, o = session.options
        let text = """
            dataset: \(session.request.datasetFile.path) (\(session.rowCount) rows, θ \(session.metadata.parameterCount), \
            x \(session.metadata.featureCount); context \(session.prior.contextNames) not in the image, marginalised)
            model: exogan DCGAN, latent \(g.latentDimension), channels \(g.baseChannels); noise-free spectra
            batch \(o.batchSize), learning rate \(o.learningRate), β₁ \(o.beta1), \(o.epochs) epochs, \
            \(workers) worker\(workers == 1 ? "" : "s")\(session.request.resume ? ", resuming" : "")
            """
        return text + OutlierFilter.announcement(rejectedFraction: session.rejectedFraction,
                                                 limit: session.request.configuration.training.outlierLimit)
    }

    func train(communicator: Communicator, shouldStop: @escaping () -> Bool, events: TrainingEvents) throws -> ExoGANTrainingSession.WorkerOutcome {
        let epochs = epochBudget
        let onEpoch = events.onEpoch.map { report in
            { (m: GANEpochMetrics) in
                report(m.epoch, nil, String(
                    format: "epoch %d/%d: D loss %.4f  G loss %.4f  D(x) %.3f  D(G(z)) %.3f  %.0f samples/s  %.1f s",
                    m.epoch + 1, epochs, m.discriminatorLoss, m.generatorLoss, m.realScore, m.fakeScore,
                    m.samplesPerSecond, m.seconds))
            }
        }
        return try session.train(communicator: communicator, shouldStop: shouldStop, onEpoch: onEpoch)
    }

    func wasInterrupted(_ outcome: ExoGANTrainingSession.WorkerOutcome) -> Bool { outcome.interrupted }

    func summary(of outcome: ExoGANTrainingSession.WorkerOutcome) -> String {
        String(format: "epoch budget reached after %d epochs", outcome.history.count)
    }

    func publish(_ outcome: ExoGANTrainingSession.WorkerOutcome, workers: Int) throws -> ModelVersionID {
        try session.publish(outcome, workers: workers)
    }
}
