import Foundation
import NPEInference
import NPEParallel
import NPERegistry
import NPETraining

/// What one kind of model does, so that every command treats the kinds alike: `npe-train --kind` builds and trains
/// it through the shared data-parallel loop, with checkpoints and resume; it publishes its registry card and loads it
/// back; `npe-infer` samples it and `npe-validate` scores it.
///
/// The kinds are ``FlowModelKind`` (`npe-flow`, the neural posterior estimator) and ``ExoGANModelKind`` (`exogan`,
/// the baseline). A new kind is one conformer and one line in ``ModelKinds/all``; no command changes.
public protocol ModelKind: Sendable {
    /// The registry card's `kind` (`npe-flow`, `exogan`): what an entry says it is.
    var cardKind: String { get }
    /// The value of `npe-train --kind` (`flow`, `exogan`).
    var trainingName: String { get }

    /// The configuration sections this kind owns (``TrainingConfigurationSection``, e.g. `exogan:`); every
    /// registered kind's are read from any configuration file and recorded in every card's training record.
    var configurationSections: [any TrainingConfigurationSection.Type] { get }

    /// The effective configuration after command-line overrides, as this kind reads them (the GAN's batch size
    /// and learning rate live in its own section).
    func applying(_ overrides: TrainingConfiguration.Overrides, to configuration: TrainingConfiguration) throws -> TrainingConfiguration

    /// Checks a request and prepares its run (dataset, configuration, outputs), on every worker process before any
    /// trains.
    func prepareTraining(_ request: TrainingRequest, isRoot: Bool) throws -> any ModelTrainingRun

    /// The inference job for a registry entry of this kind, and a note for the console when a default setting was
    /// dropped (the posterior predictive check of a model whose simulator is not available).
    ///
    /// - Parameter predictiveRequested: the user asked for the posterior predictive check; otherwise it is the
    ///   default, and a model that cannot run it goes on without it (the note says so).
    func inferenceJob(for loaded: LoadedModel, catalogue: InferenceCatalogue, settings: InferenceSettings,
                      predictiveRequested: Bool) throws -> (job: InferenceJob, note: String?)

    /// What `npe-validate` scores.
    ///
    /// - Throws: ``InferenceError/unsupportedModelKind(model:kind:supported:)``-like errors for kinds that cannot be
    ///   scored against a density.
    func validationModel(for loaded: LoadedModel) throws -> ValidationModel
}

/// The catalogue an inference run reads, with its digest (recorded in the posterior file).
public struct InferenceCatalogue: Sendable {
    public var url: URL
    public var sha256: String

    public init(url: URL, sha256: String) {
        self.url = url
        self.sha256 = sha256
    }

    /// The catalogue by its extension: `.csv` (context columns named as the model's), anything else HDF5.
    public func read(contextNames: [String]) throws -> Catalogue {
        url.pathExtension.lowercased() == "csv" ? try Catalogue(csv: url, contextNames: contextNames) : try Catalogue(hdf5: url)
    }
}

extension ModelKind {
    /// No section of its own: the kind reads only the shared keys (`flow:`, `training:`, ...).
    public var configurationSections: [any TrainingConfigurationSection.Type] { [] }
}

/// Progress callbacks of a training run, called on the root worker only.
public struct TrainingEvents {
    /// Epoch (0-based), step, steps per epoch (estimate) and the step's loss; kinds without steps never call it.
    public var onStep: ((Int, Int, Int, Float) -> Void)?
    /// A finished epoch: its 0-based index, the validation loss when the kind has one, and a line for the console.
    public var onEpoch: ((Int, Float?, String) -> Void)?

    public init(onStep: ((Int, Int, Int, Float) -> Void)? = nil, onEpoch: ((Int, Float?, String) -> Void)? = nil) {
        self.onStep = onStep
        self.onEpoch = onEpoch
    }
}

/// One prepared training run of some kind: trained once per worker, published by the root.
public protocol ModelTrainingRun: AnyObject {
    /// What one worker's training produced.
    associatedtype Outcome

    /// The request it serves (dataset, registry, name, configuration, checkpoint directory).
    var request: TrainingRequest { get }
    /// The epoch budget and global batch size, for the console.
    var epochBudget: Int { get }
    var batchSize: Int { get }
    /// What the run trains, for the console (dataset, network, noise, budget, workers).
    func announcement(workers: Int) -> String
    /// What the first Ctrl-C prints.
    var stopNotice: String { get }

    /// Trains this worker's replica; call once per worker with its communicator.
    func train(communicator: Communicator, shouldStop: @escaping () -> Bool, events: TrainingEvents) throws -> Outcome
    /// Whether training stopped on request, with the checkpoint written.
    func wasInterrupted(_ outcome: Outcome) -> Bool
    /// How training ended, for the console (`epoch budget reached after 30 epochs; …`).
    func summary(of outcome: Outcome) -> String
    /// Publishes the trained model as the next version (root only).
    func publish(_ outcome: Outcome, workers: Int) throws -> ModelVersionID
}
