import Foundation
import NPEData
import NPEFlows
import NPEInference
import NPEModels
import NPERegistry
import NPESimulators
import NPETransmission
import NPETensor
import NPETestSupport
import NPETraining
import Testing
import NPESupport

/// `npe-validate` end to end: a real NPE trained on the linear-Gaussian problem, published, validated by the built
/// binary; the record lands in the registry and matches `--out`; mismatches are clear errors.
struct ValidateCommandTests {
    static var executable: URL { builtExecutable(named: "npe-validate") }
    static let problem = ValidationTests.problem

    /// Trains a small MAF for ~2 s (release) on 6000 noise-free rows with the problem's noise drawn each epoch, and
    /// publishes it as `lg` with its training noise on the card.
    static func publishTrainedModel(in registry: ModelRegistry, train: Bool = true) throws -> ModelVersionID {
        let url = try ValidationTests.writeDataset(rows: 6000, seed: 31, name: "train.h5")
        let reader = try TrainingDatasetReader(contentsOf: url)
        defer { try? reader.close() }
        let all = try reader.readRows(0..<reader.rowCount)
        let architecture = EstimatorArchitecture(
            thetaSupports: PriorSupportMaps.thetaSupports(of: problem.prior), xCount: ValidationTests.m,
            embedding: EmbeddingArchitecture(kind: .mlp, hiddenWidths: [32], outputCount: 16), flowKind: .maf,
            transforms: 3, hiddenWidths: [32, 32])
        let standardization = try Standardization.fit(
            theta: try Tensor(shape: [6000, ValidationTests.d], scalars: all.theta), x: try Tensor(shape: [6000, ValidationTests.m], scalars: all.x),
            supports: architecture.thetaSupports)
        let estimator = try NeuralPosteriorEstimator(architecture: architecture, standardization: standardization,
                                                     stream: RandomStream(seed: 2))
        let noise = try TrainingNoise(sigmaRows: [problem.noiseStandardDeviation.map(Float.init)], source: "linear-gaussian sigma")
        var options = TrainingOptions()
        options.epochs = 60
        options.batchSize = 128
        options.learningRate = 3e-3
        options.schedule = .cosine(minimum: 1e-5)
        options.patience = 60
        options.validationFraction = 0.1
        options.seed = 5
        if train { _ = try Trainer(model: estimator, options: options, reader: reader, noise: NoiseAugmentation(noise: noise, seed: 9)).run() }
        let card = try PosteriorModel.makeCard(
            estimator: estimator, prior: problem.prior, dataset: reader.metadata,
            lineage: DatasetLineage(path: url.path, digest: "sha256:" + reader.contentDigest, rowCount: 6000,
                                    simulator: SimulatorLineage(name: problem.name, version: problem.version)),
            noise: noise, training: TrainingRecord(configuration: ["epochs": 60], seed: 5), metrics: [:])
        return try PosteriorModel.publish(estimator, name: "lg", to: registry, card: card)
    }

    @Test
    func validatesARegisteredModelAndRecordsTheResult() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "npe-validate is not built at \(Self.executable.path): run swift build --build-tests first")
        let root = try makeTemporaryDirectory("npe-validate")
        let registry = ModelRegistry(root: root.appendingPathComponent("registry"))
        let id = try Self.publishTrainedModel(in: registry)
        let test = try ValidationTests.writeDataset(rows: 500, seed: 1234)
        let out = root.appendingPathComponent("eval.json")
        let run = try runProcess(Self.executable, [
            "--registry", registry.root.path, "--model", "lg@1", "--dataset", test.path, "--samples", "400",
            "--reference-rows", "5", "--threads", "2", "--out", out.path,
        ])
        #expect(run.status == 0, "\(run.errors)\n\(run.output)")
        #expect(run.output.contains("expected coverage") && run.output.contains("theta_1"), "\(run.output)")
        let records = try registry.evaluations(of: id)
        #expect(records.count == 1 && records.first?.kind == "validation")
        let report = try ValidationReport.decode(try Data(contentsOf: out))
        #expect(try ValidationReport(record: try #require(records.first)) == report)
        #expect(report.dataset.rowsUsed == 500 && report.samples == 400 && report.model.reference == "lg@1")
        // A 60-epoch MAF on this problem is close to calibrated: 500 rows give a binomial sd ≤ 0.023 per level, and
        // the fit's own error adds a few hundredths; 0.1 still fails an untrained or x-blind network by far.
        #expect(report.maxCoverageDeviation < 0.1, "coverage \(report.coverage)")
        for parameter in report.parameters { #expect(parameter.rmse < 0.5 * parameter.priorRmse) }
        #expect(report.referenceScore.status == "computed" && report.referenceScore.simulations == 2000)
        #expect(try #require(report.referenceScore.adc2023) > 800)
    }

    @Test
    func aMismatchedDatasetOrAnUnknownModelIsAClearError() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "npe-validate is not built at \(Self.executable.path): run swift build --build-tests first")
        let root = try makeTemporaryDirectory("npe-validate-bad")
        let registry = ModelRegistry(root: root.appendingPathComponent("registry"))
        _ = try Self.publishTrainedModel(in: registry, train: false)
        let shifted = try ValidationTests.writeDataset(rows: 20, grid: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10.5])
        let bad = try runProcess(Self.executable, ["--registry", registry.root.path, "--model", "lg", "--dataset", shifted.path])
        #expect(bad.status != 0)
        #expect(bad.errors.contains("does not fit the model: wavelength[9] is 10.5 um in the dataset, the model expects 10.0 um"), "\(bad.errors)")
        #expect(try registry.evaluations(of: ModelVersionID(name: "lg", version: 1)).isEmpty)
        let unknown = try runProcess(Self.executable, ["--registry", registry.root.path, "--model", "nope@1", "--dataset", shifted.path])
        #expect(unknown.status != 0 && unknown.errors.contains("nope"), "\(unknown.errors)")
    }
}

/// The ARIEL path: context inputs (planet mass, stellar radius) and the noise level reach the network, failed
/// simulations are skipped, and the importance-weighted reference maps sample + context onto the simulator's inputs.
@Test func anArielModelWithContextAndNoiseLevelInputsValidates() throws {
    let prior = try Prior.arielADC2023()
    let simulator = try ArielTransmissionSimulator()
    let root = try makeTemporaryDirectory("npe-validate-ariel")
    let url = root.appendingPathComponent("test.h5")
    let grid = try #require(simulator.spectralGrid)
    let metadata = TrainingDatasetMetadata(
        parameterNames: prior.thetaNames, parameterUnits: prior.thetaIndices.map { prior.parameters[$0].unit ?? "" },
        priorJSON: try prior.jsonString(), contextNames: prior.contextNames, wavelength: grid.wavelengths,
        binWidth: grid.binWidths, simulatorName: simulator.name, simulatorVersion: simulator.version,
        simulatorConfigurationJSON: "{}", noiseModelJSON: "{}", seed: 3)
    let writer = try TrainingDatasetWriter(creatingAt: url, metadata: metadata, storesFlags: true)
    let inputs = try prior.parameterIndices(forInputs: simulator.inputNames, simulator: simulator.name)
    let stream = RandomStream(seed: 3)
    var thetaAll: [Float] = [], xAll: [Float] = [], contextAll: [Float] = []
    // Row 0 is made to fail, and the prior's unphysical corners fail some more (NaN spectra, flagged as the dataset
    // builder does): flagged rows must be left out.
    var flagged = 0
    for row in 0..<48 {
        let values = prior.draw(uniforms: (0..<prior.uniformCount).map { stream.child(UInt64(row)).uniformDouble(UInt64($0)) })
        let theta = prior.thetaIndices.map { Float(values[$0]) }, context = prior.contextIndices.map { Float(values[$0]) }
        let simulated = row == 0 ? nil : try? simulator.simulate(inputs.map { values[$0] }).map(Float.init)
        let x = simulated ?? [Float](repeating: .nan, count: 52)
        let failed = !x.allSatisfy(\.isFinite)
        try writer.append(theta: theta, x: x, context: context, flags: [failed ? 1 : 0])
        if failed { flagged += 1 } else if thetaAll.count < 40 * 7 { thetaAll += theta; xAll += x; contextAll += context }
    }
    _ = try writer.commit()

    let architecture = EstimatorArchitecture(
        thetaSupports: PriorSupportMaps.thetaSupports(of: prior), xCount: 52,
        contextTransforms: PriorSupportMaps.contextTransforms(of: prior), noiseLevelInput: true,
        embedding: EmbeddingArchitecture(kind: .mlp, hiddenWidths: [16], outputCount: 8), flowKind: .maf,
        transforms: 2, hiddenWidths: [16, 16])
    let standardization = try Standardization.fit(
        theta: try Tensor(shape: [40, 7], scalars: thetaAll), x: try Tensor(shape: [40, 52], scalars: xAll),
        context: try Tensor(shape: [40, 2], scalars: contextAll), supports: architecture.thetaSupports,
        contextTransforms: architecture.contextTransforms)
    let estimator = try NeuralPosteriorEstimator(architecture: architecture, standardization: standardization, stream: RandomStream(seed: 4))
    let reader = try TrainingDatasetReader(contentsOf: url)
    let card = try PosteriorModel.makeCard(
        estimator: estimator, prior: prior, dataset: reader.metadata,
        lineage: DatasetLineage(path: url.path, digest: "sha256:" + reader.contentDigest, rowCount: 48,
                                simulator: SimulatorLineage(name: simulator.name, version: simulator.version)),
        noise: try TrainingNoise.arielMCS(transits: 1), training: TrainingRecord(configuration: [:], seed: 0), metrics: [:])
    try reader.close()
    let registry = ModelRegistry(root: root.appendingPathComponent("registry"))
    try PosteriorModel.publish(estimator, name: "ariel", to: registry, card: card)
    let model = try PosteriorModel.load(from: registry, reference: "ariel")

    let report = try Validation.run(model: try ValidationModel(model), dataset: url, simulator: simulator,
                                    options: ValidationOptions(samples: 30, rows: 40, workers: 2, referenceRows: 2))
    #expect(flagged >= 1 && flagged <= 8 && report.dataset.rowsUsed == 40 && report.dataset.rowsFlagged >= 1)
    #expect(report.model.noise?.hasPrefix("ariel-mcs-known-2024, 1 transit") == true)
    #expect(report.parameters.map(\.name) == prior.thetaNames)
    #expect(report.coverage.allSatisfy { $0 >= 0 && $0 <= 1 } && report.parameters.allSatisfy { $0.rmse.isFinite })
    // 2 rows × 30 samples through the simulator, with the sample's θ and the row's planet mass and stellar radius.
    #expect(report.referenceScore.status == "computed" && report.referenceScore.simulations == 60)
    #expect(try #require(report.referenceScore.adc2023).isFinite)
    #expect(try report.evaluationRecord(toolVersion: "test").results.isFinite)
}
