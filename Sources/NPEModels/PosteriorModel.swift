import Foundation
import NPEFlows
import NPERegistry
import NPESimulators
import NPETensor

/// A trained neural posterior estimator together with everything needed to use it on real data: the prior it was
/// trained under, the spectral grid and context inputs it expects, and the noise it was trained with.
///
/// This is the one place that turns a registry entry of kind `npe-flow` into a working model (``init(loaded:)``)
/// and a trained estimator into a card (``makeCard(estimator:prior:dataset:lineage:noise:training:metrics:)``),
/// so the trainer, `npe-infer` and `npe-validate` cannot disagree about the card's layout
/// (`docs/registry-format.md`, "Kind npe-flow").
public struct PosteriorModel {
    /// The registry kind of flow-based posterior estimators.
    public static let kind = "npe-flow"

    public let estimator: NeuralPosteriorEstimator
    /// The full prior of the training set: θ parameters and context inputs.
    public let prior: Prior
    /// M bin centres (micrometres), in the network's input order.
    public let wavelengths: [Double]
    /// M full bin widths, when known.
    public let binWidths: [Double]?
    /// The noise training drew; nil when the model saw noise-free x.
    public let noise: TrainingNoise?
    public let card: ModelCard
    /// The resolved name and version.
    public let id: ModelVersionID
    /// SHA-256 of the weights file, as verified on load.
    public let weightsSHA256: String

    /// θ names (D), in the network's order.
    public var parameterNames: [String] { prior.thetaNames }
    /// θ units (D), empty strings for dimensionless parameters.
    public var parameterUnits: [String] { prior.thetaIndices.map { prior.parameters[$0].unit ?? "" } }
    /// Context input names (A).
    public var contextNames: [String] { prior.contextNames }

    /// Rebuilds the model from a registry entry (the registry has already verified its checksums).
    ///
    /// - Throws: ``ModelCardError`` naming the card field at fault, or ``EstimatorError`` when the weights do not
    ///   fit the architecture.
    public init(loaded: LoadedModel) throws {
        let card = loaded.card
        guard card.kind == Self.kind else { throw ModelCardError.wrongKind(found: card.kind, expected: Self.kind) }
        let architecture = try CardJSON.decode(EstimatorArchitecture.self, from: card.architecture, field: "architecture")
        guard let priorText = card.dataset.simulator.configuration[Self.priorKey] else {
            throw ModelCardError.invalidField(field: "dataset.simulator.configuration.\(Self.priorKey)", reason: "missing")
        }
        let prior: Prior
        do {
            prior = try JSONDecoder().decode(Prior.self, from: Data(priorText.utf8))
        } catch {
            throw ModelCardError.invalidField(field: "dataset.simulator.configuration.\(Self.priorKey)", reason: "\(error)")
        }
        guard prior.thetaCount == architecture.thetaCount, prior.contextCount == architecture.contextCount else {
            throw ModelCardError.inconsistent(
                "prior has \(prior.thetaCount) θ and \(prior.contextCount) context parameters, the network \(architecture.thetaCount) and \(architecture.contextCount)")
        }
        guard card.parameters.map(\.name) == prior.thetaNames else {
            throw ModelCardError.invalidField(field: "parameters", reason: "names \(card.parameters.map(\.name)) differ from the prior's \(prior.thetaNames)")
        }
        guard let grid = card.inputGrid else { throw ModelCardError.invalidField(field: "inputGrid", reason: "missing") }
        guard grid.wavelengths.count == architecture.xCount else {
            throw ModelCardError.inconsistent("inputGrid has \(grid.wavelengths.count) bins, the network reads \(architecture.xCount)")
        }
        var tensors: [String: Tensor] = [:]
        for (name, blob) in loaded.weights.tensors {
            guard let floats = blob.floats else { throw ModelCardError.inconsistent("weight \(name) is \(blob.dtype), expected float32") }
            tensors[name] = try Tensor(shape: blob.shape, scalars: floats)
        }
        let noise: TrainingNoise? = card.noiseModel == .null ? nil
            : try CardJSON.decode(TrainingNoise.self, from: card.noiseModel, field: "noiseModel")
        if let noise, noise.binCount != architecture.xCount {
            throw ModelCardError.inconsistent("noiseModel has \(noise.binCount) bins, the network reads \(architecture.xCount)")
        }
        self.estimator = try NeuralPosteriorEstimator(architecture: architecture, tensors: tensors)
        self.prior = prior
        self.wavelengths = grid.wavelengths
        self.binWidths = grid.binWidths
        self.noise = noise
        self.card = card
        self.id = loaded.id
        self.weightsSHA256 = card.weights.sha256
    }

    /// Loads `reference` (`name`, `name@3`, `name@production`) from `registry`, verifying its checksums.
    public static func load(from registry: ModelRegistry, reference: String) throws -> PosteriorModel {
        try PosteriorModel(loaded: registry.load(reference))
    }

    /// The key under `dataset.simulator.configuration` that holds the training prior's JSON.
    public static let priorKey = "prior"
}
