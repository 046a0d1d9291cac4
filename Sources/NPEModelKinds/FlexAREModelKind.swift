import Foundation
import NPEFlexARE
import NPEInference
import NPEParallel
import NPERegistry
import NPETraining

/// The FlexARE pre-processing networks (card kinds `flexare-denoiser` and `flexare-imputer`,
/// `npe-train --kind denoiser|imputer`): NPEFlexARE's ``FlexARETrainingSession`` trains and publishes them, and
/// ``FlexAREModel`` loads them. They map spectra to spectra and have no posterior of their own: `npe-infer` runs
/// them through `--preprocess` in front of a flow, and refuses them as `--model`.
public struct FlexAREModelKind: ModelKind {
    public let role: FlexAREArchitecture.Role

    public init(role: FlexAREArchitecture.Role) { self.role = role }

    public var cardKind: String { role.cardKind }
    public var trainingName: String { role.rawValue }
    public var configurationSections: [any TrainingConfigurationSection.Type] { [FlexAREConfiguration.self] }

    /// `--batch-size` and `--learning-rate` set the role's `flexare.denoiser` or `flexare.imputer` values (the
    /// report's defaults differ from the flow's); the epoch budget and seed are `training:`'s.
    public func applying(_ overrides: TrainingConfiguration.Overrides, to configuration: TrainingConfiguration) throws -> TrainingConfiguration {
        var configuration = configuration
        switch role {
        case .denoiser:
            if let batchSize = overrides.batchSize { configuration.flexare.denoiser.batchSize = batchSize }
            if let learningRate = overrides.learningRate { configuration.flexare.denoiser.learningRate = learningRate }
        case .imputer:
            if let batchSize = overrides.batchSize { configuration.flexare.imputer.batchSize = batchSize }
            if let learningRate = overrides.learningRate { configuration.flexare.imputer.learningRate = learningRate }
        }
        // applying validates every section, flexare: included.
        return try configuration.applying(.init(epochs: overrides.epochs, seed: overrides.seed))
    }

    public func prepareTraining(_ request: TrainingRequest, isRoot: Bool) throws -> any ModelTrainingRun {
        FlexARETrainingRun(session: try FlexARETrainingSession(request: request, role: role, isRoot: isRoot))
    }

    public func inferenceJob(for loaded: LoadedModel, catalogue: InferenceCatalogue, settings: InferenceSettings,
                             predictiveRequested: Bool) throws -> (job: InferenceJob, note: String?) {
        throw InferenceError.invalidSetting(
            name: "--model", reason: "\(loaded.id) is a \(cardKind) model, a pre-processing step with no posterior; run it with "
                + "--preprocess \(role.rawValue)@\(loaded.id) --model FLOW")
    }

    public func validationModel(for loaded: LoadedModel) throws -> ValidationModel {
        throw InferenceError.invalidSetting(
            name: "--model", reason: "\(loaded.id) is a \(cardKind) model: it reconstructs spectra and has no density to score")
    }
}

extension ModelKinds {
    /// `job` with the chain of `npe-infer --preprocess LIST` in front of its sampler (see
    /// ``preprocessing(_:registry:)``), recorded in the posterior file.
    public static func preprocessed(_ job: InferenceJob, by list: String, registry: ModelRegistry) throws -> InferenceJob {
        try job.preprocessed(by: preprocessing(list, registry: registry))
    }

    /// The chain of `npe-infer --preprocess ROLE@REF[,ROLE@REF…]` (ROLE `denoiser` or `imputer`, REF a registry
    /// reference), loaded from `registry` in the order given.
    ///
    /// - Throws: ``InferenceError/invalidSetting(name:reason:)`` for a malformed item or a model of another kind.
    public static func preprocessing(_ list: String, registry: ModelRegistry) throws -> SpectrumPreprocessing {
        let roles = FlexAREArchitecture.Role.allCases.map(\.rawValue).joined(separator: " or ")
        let steps = try list.split(separator: ",", omittingEmptySubsequences: false).map { item -> SpectrumPreprocessing.Step in
            let text = item.trimmingCharacters(in: .whitespaces)
            guard let at = text.firstIndex(of: "@"), let role = FlexAREArchitecture.Role(rawValue: String(text[..<at])),
                  text.index(after: at) < text.endIndex else {
                throw InferenceError.invalidSetting(name: "--preprocess", reason: "'\(text)' is not ROLE@REF with ROLE \(roles)")
            }
            let loaded = try registry.load(String(text[text.index(after: at)...]))
            guard loaded.card.kind == role.cardKind else {
                throw InferenceError.invalidSetting(name: "--preprocess", reason: "\(loaded.id) is a \(loaded.card.kind) model, not a \(role.cardKind)")
            }
            return SpectrumPreprocessing.Step(model: try FlexAREModel(loaded: loaded), reference: loaded.id.description,
                                              weightsSHA256: loaded.card.weights.sha256, cardSHA256: TrainingSimulators.cardDigest(of: loaded),
                                              wavelengths: loaded.card.inputGrid?.wavelengths)
        }
        return try SpectrumPreprocessing(steps: steps)
    }
}

/// A FlexARE training run: ``FlexARETrainingSession`` behind the ``ModelTrainingRun`` surface.
final class FlexARETrainingRun: ModelTrainingRun {
    let session: FlexARETrainingSession

    init(session: FlexARETrainingSession) { self.session = session }

    var request: TrainingRequest { session.request }
    var epochBudget: Int { session.options.epochs }
    var batchSize: Int { session.options.batchSize }
    var stopNotice: String { "Stopping: discarding the unfinished epoch, the checkpoint keeps the last one (again to quit now)..." }

    func announcement(workers: Int) -> String {
        let o = session.options, c = session.configuration
        let network: String
        switch session.role {
        case .denoiser:
            let d = c.denoiser
            network = "dense autoencoder \(d.hiddenWidths) → \(d.latent), \(d.activation.rawValue)"
                + (d.instanceNormalization ? ", instance normalisation" : "") + "; pairs: noisy x (\(session.pairs.noise?.noise.source ?? "none")) → clean x"
        case .imputer:
            let i = c.imputer
            network = "U-Net imputer, \(i.channels) channels, \(i.residualBlocks) residual blocks, \(i.activation.rawValue), "
                + "instance normalisation; \(i.pretrainEpochs) pre-training epochs; masks: segments "
                + "\(session.pairs.mask?.segments.map(\.name).joined(separator: ", ") ?? "none") each dropped with p \(i.segmentProbability); "
                + "inputs \(session.pairs.noise.map { "noisy (\($0.noise.source))" } ?? "clean")"
        }
        let text = """
            dataset: \(session.request.datasetFile.path) (\(session.rowCount) rows, x \(session.metadata.featureCount))
            model: \(session.role.cardKind): \(network)
            batch \(o.batchSize), learning rate \(o.learningRate), \(o.epochs) epochs, \
            \(workers) worker\(workers == 1 ? "" : "s")\(session.request.resume ? ", resuming" : "")
            """
        return text + OutlierFilter.announcement(rejectedFraction: session.rejectedFraction,
                                                 limit: session.request.configuration.training.outlierLimit)
    }

    func train(communicator: Communicator, shouldStop: @escaping () -> Bool, events: TrainingEvents) throws -> FlexARETrainingSession.WorkerOutcome {
        let epochs = epochBudget
        let stepsPerEpoch = max(1, Int(Double(session.rowCount) * (1 - session.options.validationFraction)) / max(batchSize, 1))
        let onStep = events.onStep.map { report in { (epoch: Int, step: Int, loss: Float) in report(epoch, step, stepsPerEpoch, loss) } }
        let onEpoch = events.onEpoch.map { report in
            { (m: FlexAREEpochMetrics) in
                var line = String(format: "epoch %d/%d (%@): loss %.4f", m.epoch + 1, epochs, m.phase, m.trainingLoss)
                if let d = m.discriminatorLoss { line += String(format: "  D loss %.4f", d) }
                line += String(format: "  val RMSE %.4f (1−RMSE %.2f%%, %.1f ppm)  %.0f samples/s  %.1f s", m.validationRMSE,
                               100 * m.validationAccuracy, m.validationRMSEPPM, m.samplesPerSecond, m.seconds)
                report(m.epoch, Float(m.validationRMSE), line)
            }
        }
        return try session.train(communicator: communicator, shouldStop: shouldStop, onStep: onStep, onEpoch: onEpoch)
    }

    func wasInterrupted(_ outcome: FlexARETrainingSession.WorkerOutcome) -> Bool { outcome.interrupted }

    func summary(of outcome: FlexARETrainingSession.WorkerOutcome) -> String {
        guard outcome.history.indices.contains(outcome.bestEpoch) else { return "no epoch finished" }
        let best = outcome.history[outcome.bestEpoch]
        return String(format: "epoch budget reached after %d epochs; best validation RMSE %.4f (1−RMSE %.2f%%) at epoch %d",
                      outcome.history.count, best.validationRMSE, 100 * best.validationAccuracy, outcome.bestEpoch + 1)
    }

    func publish(_ outcome: FlexARETrainingSession.WorkerOutcome, workers: Int) throws -> ModelVersionID {
        try session.publish(outcome, workers: workers)
    }
}
