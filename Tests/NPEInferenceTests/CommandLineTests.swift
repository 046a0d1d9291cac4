import Foundation
import NPEData
import NPEFlows
import NPEModels
import NPERegistry
import NPESimulators
import NPETensor
import NPETestSupport
import NPETraining
import Testing
@testable import NPEInference
import NPESupport

/// A registry with one trained `npe-flow` model of the built-in linear-Gaussian problem (D = 5, M = 10, the
/// `linear-gaussian` simulator of the catalogue, so importance sampling can rebuild its exact likelihood), trained
/// for a few seconds on noise-free simulations with the problem's σ drawn afresh each epoch.
struct TrainedFixture: Sendable {
    /// Trained once per test process (a few seconds) and shared by the command-line tests, which only read it.
    static let shared = Result { try TrainedFixture() }

    let problem = LinearGaussianProblem.standard()
    let directory: URL
    var registry: URL { directory.appendingPathComponent("registry") }
    var wavelengths: [Double] { (0..<10).map { 1 + 0.1 * Double($0) } }

    init() throws {
        directory = try makeTemporaryDirectory("npeinfer")
        let datasetURL = directory.appendingPathComponent("dataset.h5")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = TrainingDatasetMetadata(
            parameterNames: problem.inputNames, parameterUnits: [String](repeating: "", count: 5),
            priorJSON: try problem.prior.jsonString(), contextNames: [], wavelength: wavelengths,
            binWidth: [Double](repeating: 0.1, count: 10), simulatorName: problem.name, simulatorVersion: problem.version,
            simulatorConfigurationJSON: String(decoding: try encoder.encode(problem.configuration), as: UTF8.self),
            noiseModelJSON: try problem.noiseModel.jsonString(), seed: 1)
        let writer = try TrainingDatasetWriter(creatingAt: datasetURL, metadata: metadata, chunkRows: 500)
        let stream = RandomStream(seed: 31)
        let rows = 5000
        var thetaAll: [Float] = [], xAll: [Float] = []
        for r in 0..<rows {
            let theta = (0..<5).map { stream.normalDouble(UInt64(5 * r + $0)) }
            let x = try problem.simulate(theta).map(Float.init)
            thetaAll += theta.map(Float.init)
            xAll += x
            try writer.append(theta: theta.map(Float.init), x: x)
        }
        _ = try writer.commit()
        let reader = try TrainingDatasetReader(contentsOf: datasetURL)
        let architecture = EstimatorArchitecture(
            thetaSupports: PriorSupportMaps.thetaSupports(of: problem.prior), xCount: 10,
            embedding: EmbeddingArchitecture(kind: .mlp, hiddenWidths: [32], outputCount: 16), flowKind: .maf,
            transforms: 3, hiddenWidths: [32, 32])
        let estimator = try NeuralPosteriorEstimator(
            architecture: architecture,
            standardization: try Standardization.fit(theta: try Tensor(shape: [rows, 5], scalars: thetaAll),
                                                     x: try Tensor(shape: [rows, 10], scalars: xAll),
                                                     supports: architecture.thetaSupports),
            stream: RandomStream(seed: 2))
        var options = TrainingOptions()
        options.epochs = 30
        options.batchSize = 128
        options.learningRate = 3e-3
        options.schedule = .cosine(minimum: 1e-5)
        options.validationFraction = 0.1
        options.seed = 5
        let noise = try TrainingNoise(sigmaRows: [problem.noiseStandardDeviation.map(Float.init)], source: "linear-gaussian sigma")
        _ = try Trainer(model: estimator, options: options, reader: reader, noise: NoiseAugmentation(noise: noise, seed: 9)).run()
        let card = try PosteriorModel.makeCard(
            estimator: estimator, prior: problem.prior, dataset: metadata,
            lineage: PosteriorModel.lineage(of: reader, path: datasetURL.path), noise: noise,
            training: TrainingRecord(configuration: .null, seed: 5), metrics: [:])
        try PosteriorModel.publish(estimator, name: "lg", to: ModelRegistry(root: registry), card: card)
    }

    /// An HDF5 catalogue of `count` noisy observations with truths (no σ: the model's training σ serves).
    func writeCatalogue(_ name: String, count: Int, bins: Int = 10, edit: (inout [Float]) -> Void = { _ in }) throws -> URL {
        let url = directory.appendingPathComponent(name)
        let stream = RandomStream(seed: 77)
        var x: [Float] = [], truths: [Double] = []
        for t in 0..<count {
            let theta = (0..<5).map { stream.child(1).normalDouble(UInt64(5 * t + $0)) }
            let clean = try problem.simulate(theta)
            x += (0..<bins).map { m in Float(clean[m % 10] + 0.1 * stream.child(2).normalDouble(UInt64(10 * t + m))) }
            truths += theta
        }
        edit(&x)
        let file = try HDF5File.create(at: url)
        let root = try file.root()
        try root.createDataset("x", values: x, shape: [count, bins])
        try root.createDataset("wavelength", values: (0..<bins).map { 1 + 0.1 * Double($0) })
        try root.createDataset("id", strings: (0..<count).map { "planet-\($0)" })
        let truth = try root.createDataset("theta_true", values: truths, shape: [count, 5])
        try truth.attributes.set("parameter_names", to: .string("[\"theta_1\",\"theta_2\",\"theta_3\",\"theta_4\",\"theta_5\"]"))
        try file.commit()
        return url
    }

    func infer(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(builtExecutable(named: "npe-infer"), ["--registry", registry.path] + arguments)
    }
}

@Suite(.serialized) struct CommandLineTests {
    @Test func npeInferRunsATrainedModelOnACatalogueWithImportanceSampling() throws {
        let fixture = try TrainedFixture.shared.get()
        let catalogue = try fixture.writeCatalogue("catalogue.h5", count: 4) { x in x[2 * 10 + 3] = .nan }
        let out = fixture.directory.appendingPathComponent("post.h5")
        let result = try fixture.infer(["--model", "lg@1", "--catalogue", catalogue.path, "--samples", "2000", "--out", out.path,
                                        "--importance-sampling", "--threads", "2", "--batch-targets", "3"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("posteriors: \(out.path)") && result.output.contains("post.summary.csv"))
        // The NaN bin is a missing one, which this model (trained on complete spectra) refuses.
        #expect(result.output.contains("masked_bins_unsupported") && result.output.contains("mean ESS"))
        let file = try PosteriorFile.read(from: out)
        #expect(file.modelReference == "lg@1" && file.ids == (0..<4).map { "planet-\($0)" })
        #expect(file.flags[2] == .maskedBinsUnsupported)
        // Each valid target: the importance-weighted posterior mean against the exact one. Weighted means carry an
        // error of about sd/√ESS; with ESS ≥ 50 that is ≤ 0.15 sd, so 0.6 sd is a 4σ bound that a wrong likelihood,
        // prior or weight sign (a mean pulled to the flow's or the prior's) exceeds.
        for t in [0, 1, 3] {
            let ess = try #require(file.effectiveSampleSize?[t])
            #expect(ess >= 50, "target \(t): ESS \(ess)")
        }
        let reread = try Catalogue(hdf5: catalogue)
        for t in [0, 1, 3] {
            let exact = try fixture.problem.posterior(given: Array(Catalogue.row(reread.x, t, width: 10)))
            for j in 0..<5 {
                let mean = file.summary[(t * 5 + j) * 7]
                #expect(abs(mean - exact.mean[j]) < 0.6 * exact.standardDeviations[j], "target \(t) θ\(j + 1): \(mean) vs \(exact.mean[j])")
            }
        }
    }

    @Test func npeInferRefusesAnIncompatibleCatalogueBeforeAnyWork() throws {
        let fixture = try TrainedFixture.shared.get()
        let wrongBins = try fixture.writeCatalogue("wide.h5", count: 2, bins: 12)
        let out = fixture.directory.appendingPathComponent("never.h5")
        let result = try fixture.infer(["--model", "lg", "--catalogue", wrongBins.path, "--samples", "10", "--out", out.path])
        #expect(result.status == 1)
        #expect(result.errors.contains("does not fit model lg@1: the catalogue has 12 bins per spectrum, the model reads 10"), "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: out.path) && !FileManager.default.fileExists(atPath: out.path + ".parts"))
        let unknown = try fixture.infer(["--model", "nosuch@1", "--catalogue", wrongBins.path, "--samples", "10", "--out", out.path])
        #expect(unknown.status == 1 && unknown.errors.contains("nosuch"))
    }

    @Test func aKilledRunResumesToTheSameFile() throws {
        let fixture = try TrainedFixture.shared.get()
        let catalogue = try fixture.writeCatalogue("c.h5", count: 12)
        let whole = fixture.directory.appendingPathComponent("whole.h5")
        let common = ["--model", "lg@1", "--catalogue", catalogue.path, "--samples", "20000", "--importance-sampling", "--seed", "4"]
        #expect(try fixture.infer(common + ["--out", whole.path, "--threads", "2"]).status == 0)

        // Kill the second run (one target per shard) once its first shard is on disk.
        let out = fixture.directory.appendingPathComponent("killed.h5")
        let process = Process()
        process.executableURL = builtExecutable(named: "npe-infer")
        process.arguments = ["--registry", fixture.registry.path] + common + ["--out", out.path, "--threads", "1", "--batch-targets", "1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let parts = out.path + ".parts"
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: parts)) ?? []
            if names.contains(where: { $0.hasPrefix("targets-") && $0.hasSuffix(".h5") }) { break }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run finished before it could be killed")
        #expect(!FileManager.default.fileExists(atPath: out.path))

        let resumed = try fixture.infer(common + ["--out", out.path, "--threads", "2", "--batch-targets", "5", "--resume"])
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(resumed.output.contains("from an earlier run"))
        #expect(sameDatasets(try PosteriorFile.read(from: whole), try PosteriorFile.read(from: out)))
    }
}
