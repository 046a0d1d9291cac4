import Foundation
import NPEData
import NPEFlows
import NPEModels
import NPERegistry
import NPESimulators
import NPETensor
import NPETestSupport
import Testing
import NPESupport

/// The card layout of kind `npe-flow`: what the trainer writes, npe-infer and npe-validate read back.
@Suite("PosteriorModel: card and registry round trip")
struct PosteriorModelTests {
    static func fixture() throws -> (NeuralPosteriorEstimator, Prior, TrainingDatasetMetadata) {
        let prior = try Prior.arielADC2023()
        let m = 6
        let architecture = EstimatorArchitecture(
            thetaSupports: PriorSupportMaps.thetaSupports(of: prior), xCount: m,
            contextTransforms: PriorSupportMaps.contextTransforms(of: prior), noiseLevelInput: true,
            embedding: EmbeddingArchitecture(kind: .mlp, hiddenWidths: [8], outputCount: 4),
            flowKind: .nsfc, transforms: 2, hiddenWidths: [8, 8], bins: 4)
        let standardization = Standardization(
            xMean: .init(repeating: 0.01, count: m), xScale: .init(repeating: 0.002, count: m),
            thetaMean: .init(repeating: 0.1, count: 7), thetaScale: .init(repeating: 1.5, count: 7),
            contextMean: [0, 0.1], contextScale: [1.2, 0.5])
        let estimator = try NeuralPosteriorEstimator(architecture: architecture, standardization: standardization,
                                                     stream: RandomStream(seed: 21))
        let metadata = TrainingDatasetMetadata(
            parameterNames: prior.thetaNames, parameterUnits: prior.thetaIndices.map { prior.parameters[$0].unit ?? "" },
            priorJSON: try prior.jsonString(), contextNames: prior.contextNames,
            wavelength: (0..<m).map { 0.5 + Double($0) }, binWidth: .init(repeating: 0.1, count: m),
            simulatorName: "ariel-transmission", simulatorVersion: "1", simulatorConfigurationJSON: "{}",
            noiseModelJSON: "{\"kind\":\"none\"}", seed: 5)
        return (estimator, prior, metadata)
    }

    static func card(noise: TrainingNoise?) throws -> ModelCard {
        let (estimator, prior, metadata) = try fixture()
        return try PosteriorModel.makeCard(
            estimator: estimator, prior: prior, dataset: metadata,
            lineage: DatasetLineage(path: "datasets/x", digest: "sha256:00", rowCount: 10,
                                    simulator: SimulatorLineage(name: "ariel-transmission", version: "1")),
            noise: noise, training: TrainingRecord(configuration: ["epochs": 3], seed: 5), metrics: ["best_validation_loss": 1.5])
    }

    @Test("publish → load rebuilds an estimator with identical outputs, prior, grid, context names and noise")
    func roundTrip() throws {
        let (estimator, prior, metadata) = try Self.fixture()
        let noise = try TrainingNoise(sigmaRows: [.init(repeating: 1e-4, count: 6), .init(repeating: 3e-4, count: 6)],
                                      scaleRange: 0.5...2, source: "test")
        let registry = ModelRegistry(root: try makeTemporaryDirectory("models"))
        let card = try Self.card(noise: noise)
        let id = try PosteriorModel.publish(estimator, name: "ariel", to: registry, card: card, files: ["metrics.jsonl": Data("{}\n".utf8)])
        let model = try PosteriorModel.load(from: registry, reference: "ariel@\(id.version)")
        #expect(model.prior == prior && model.noise == noise && model.wavelengths == metadata.wavelength)
        #expect(model.parameterNames == prior.thetaNames && model.contextNames == ["planet_mass", "star_radius"])
        #expect(model.estimator.architecture == estimator.architecture && model.id == id && !model.weightsSHA256.isEmpty)
        let x = RandomStream(seed: 2).normalTensor([2, 6], scale: 0.001)
        let sigma = Tensor(repeating: 1e-4, shape: [2, 6])
        let context = try Tensor(rows: [[1.0, 1.0], [0.2, 2.0]])
        let a = try estimator.sample(given: x, sigma: sigma, context: context, count: 5, stream: RandomStream(seed: 1))
        let b = try model.estimator.sample(given: x, sigma: sigma, context: context, count: 5, stream: RandomStream(seed: 1))
        #expect(a.theta == b.theta && a.logProbability == b.logProbability)
        #expect(model.card.standardisation["context_transformed"]?.mean == [0, 0.1].map { Double(Float($0)) })
    }

    @Test("a card of another kind, or without its prior, is refused naming the field")
    func refusals() throws {
        let (estimator, _, _) = try Self.fixture()
        let registry = ModelRegistry(root: try makeTemporaryDirectory("models"))
        var card = try Self.card(noise: nil)
        card.kind = "exogan"
        try PosteriorModel.publish(estimator, name: "gan", to: registry, card: card)
        #expect(throws: ModelCardError.wrongKind(found: "exogan", expected: "npe-flow")) {
            _ = try PosteriorModel.load(from: registry, reference: "gan")
        }
        var noPrior = try Self.card(noise: nil)
        noPrior.dataset.simulator.configuration[PosteriorModel.priorKey] = nil
        try PosteriorModel.publish(estimator, name: "bare", to: registry, card: noPrior)
        #expect(throws: ModelCardError.invalidField(field: "dataset.simulator.configuration.prior", reason: "missing")) {
            _ = try PosteriorModel.load(from: registry, reference: "bare")
        }
    }

    @Test("a non-spectral dataset (feature indices as its grid) publishes with a grid of unit 'index'")
    func nonSpectralGrid() throws {
        var (estimator, prior, metadata) = try Self.fixture()
        metadata.wavelength = (0..<6).map(Double.init)
        let card = try PosteriorModel.makeCard(
            estimator: estimator, prior: prior, dataset: metadata,
            lineage: DatasetLineage(path: "d", digest: "sha256:00", rowCount: 1, simulator: SimulatorLineage(name: "linear-gaussian", version: "1")),
            noise: nil, training: TrainingRecord(configuration: [:], seed: 1), metrics: [:])
        let registry = ModelRegistry(root: try makeTemporaryDirectory("models"))
        try PosteriorModel.publish(estimator, name: "toy", to: registry, card: card)
        let model = try PosteriorModel.load(from: registry, reference: "toy")
        #expect(model.gridUnit == InputGrid.indexUnit && model.wavelengths == [0, 1, 2, 3, 4, 5])
    }
}
