import Foundation
import NPEData
import NPEFlows
import NPERegistry
import NPESimulators
import NPETensor
import NPESafetensors

extension PosteriorModel {
    /// The card of a trained estimator, for ``publish(_:name:to:card:files:)`` (the registry fills in the name,
    /// version, time and weights record).
    ///
    /// - Parameters:
    ///   - dataset: the training set's metadata (grid, parameter names).
    ///   - lineage: where the training set lives and its digest; the prior's JSON is added to its simulator
    ///     configuration under ``priorKey``.
    ///   - noise: the noise training drew (nil for none).
    /// - Throws: ``ModelCardError`` when the estimator, prior and dataset disagree.
    public static func makeCard(estimator: NeuralPosteriorEstimator, prior: Prior, dataset: TrainingDatasetMetadata,
                                lineage: DatasetLineage, noise: TrainingNoise?, training: TrainingRecord,
                                metrics: [String: Double]) throws -> ModelCard {
        let architecture = estimator.architecture
        guard dataset.parameterNames == prior.thetaNames, dataset.contextNames == prior.contextNames else {
            throw ModelCardError.inconsistent(
                "dataset parameters \(dataset.parameterNames) + context \(dataset.contextNames) differ from the prior's \(prior.thetaNames) + \(prior.contextNames)")
        }
        guard architecture.thetaCount == prior.thetaCount, architecture.contextCount == prior.contextCount,
              architecture.xCount == dataset.featureCount else {
            throw ModelCardError.inconsistent(
                "network D \(architecture.thetaCount), A \(architecture.contextCount), M \(architecture.xCount) vs prior D \(prior.thetaCount), A \(prior.contextCount) and dataset M \(dataset.featureCount)")
        }
        if let noise, noise.binCount != architecture.xCount {
            throw ModelCardError.inconsistent("noise has \(noise.binCount) bins, the network reads \(architecture.xCount)")
        }
        let (parameters, lineage) = try Self.priorRecord(prior, lineage: lineage)
        let context = prior.contextIndices.map { ContextInput(name: prior.parameters[$0].name, unit: prior.parameters[$0].unit ?? "") }
        let s = estimator.standardization
        var standardisation = [
            "x": StandardisationStatistics(mean: s.xMean.map(Double.init), standardDeviation: s.xScale.map(Double.init)),
            "theta_unconstrained": StandardisationStatistics(mean: s.thetaMean.map(Double.init), standardDeviation: s.thetaScale.map(Double.init)),
        ]
        if !s.contextMean.isEmpty {
            standardisation["context_transformed"] = StandardisationStatistics(
                mean: s.contextMean.map(Double.init), standardDeviation: s.contextScale.map(Double.init))
        }
        return ModelCard(
            kind: kind, architecture: try CardJSON.value(architecture), parameters: parameters,
            inputGrid: grid(of: dataset),
            contextInputs: context, standardisation: standardisation,
            noiseModel: try noise.map(CardJSON.value) ?? .null, dataset: lineage, training: training,
            metrics: metrics, toolVersion: toolVersion)
    }

    /// Publishes `estimator` with `card` (and extra files such as `metrics.jsonl`) as a new version of `name`.
    @discardableResult
    public static func publish(_ estimator: NeuralPosteriorEstimator, name: String, to registry: ModelRegistry,
                               card: ModelCard, files: [String: Data] = [:]) throws -> ModelVersionID {
        var blobs: [String: TensorBlob] = [:]
        for (tensorName, tensor) in estimator.tensorDictionary() {
            blobs[tensorName] = try TensorBlob(shape: tensor.shape, floats: tensor.scalars)
        }
        return try registry.publish(name: name, card: card, weights: NamedTensors(tensors: blobs, metadata: [:]), files: files)
    }

    /// The lineage of a training set read by `reader`, as given at training time (`path`).
    public static func lineage(of reader: TrainingDatasetReader, path: String) -> DatasetLineage {
        let metadata = reader.metadata
        var configuration: [String: String] = ["simulator_configuration": metadata.simulatorConfigurationJSON]
        if !metadata.noiseModelJSON.isEmpty { configuration["dataset_noise_model"] = metadata.noiseModelJSON }
        return DatasetLineage(path: path, digest: reader.contentDigest, rowCount: reader.rowCount,
                              simulator: SimulatorLineage(name: metadata.simulatorName, version: metadata.simulatorVersion,
                                                          configuration: configuration))
    }

    /// The dataset's spectral grid; a dataset of a non-spectral problem (wavelengths that are not all positive,
    /// e.g. an analytic test problem's feature indices) is described by its indices in unit ``InputGrid/indexUnit``.
    static func grid(of dataset: TrainingDatasetMetadata) -> InputGrid {
        let spectral = dataset.wavelength.allSatisfy { $0.isFinite && $0 > 0 }
        if spectral { return InputGrid(wavelengths: dataset.wavelength, binWidths: dataset.binWidth.isEmpty ? nil : dataset.binWidth) }
        return InputGrid(wavelengths: dataset.wavelength.indices.map(Double.init), unit: InputGrid.indexUnit)
    }

    /// The ExoNPE version written into cards.
    public static let toolVersion = "0.3.0"
}
