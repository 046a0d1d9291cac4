import Foundation
import NPEData
import NPERegistry
import NPESimulators
import NPETensor
import Testing
@testable import NPEInference
import NPESupport

/// The linear-Gaussian problem's exact posterior as an ``AmortizedPosterior``, optionally made overconfident by
/// scaling its covariance by `width²` (width < 1).
struct AnalyticPosterior: AmortizedPosterior {
    let problem: LinearGaussianProblem
    var width = 1.0
    var thetaCount: Int { problem.thetaCount }

    func posterior(_ x: Tensor, row: Int) throws -> MultivariateGaussian {
        let exact = try problem.posterior(given: (0..<problem.outputCount).map { Double(x[row, $0]) })
        return try MultivariateGaussian(mean: exact.mean, covariance: exact.covariance.map { $0 * width * width })
    }

    func sample(x: Tensor, sigma: Tensor?, context: Tensor?, count: Int, stream: RandomStream, workers: Int) throws
        -> (theta: [Float], logProbability: [Float])
    {
        var theta: [Float] = [], logq: [Float] = []
        for row in 0..<x.shape[0] {
            let q = try posterior(x, row: row)
            for s in 0..<count {
                let draw = q.sample(uniforms: (0..<thetaCount).map { stream.child(UInt64(row)).child(UInt64(s)).uniformDouble(UInt64($0)) })
                theta += draw.map(Float.init)
                logq.append(Float(q.logDensity(draw)))
            }
        }
        return (theta, logq)
    }

    func logProbability(of theta: Tensor, x: Tensor, sigma: Tensor?, context: Tensor?) throws -> [Float] {
        try (0..<x.shape[0]).map { row in
            Float(try posterior(x, row: row).logDensity((0..<thetaCount).map { Double(theta[row, $0]) }))
        }
    }
}

/// The problem's Gaussian noise, keyed on (seed, epoch, row) like the training noise.
struct GaussianTestNoise: ObservationNoise {
    let sigma: [Double]
    var source: String { "linear-gaussian noise" }
    func perturb(_ x: inout [Float], row: Int, epoch: Int, seed: UInt64) -> [Float] {
        let stream = RandomStream(seed: seed).child(UInt64(epoch)).child(UInt64(row))
        for b in x.indices { x[b] += Float(sigma[b] * stream.normalDouble(UInt64(b))) }
        return sigma.map(Float.init)
    }
}

struct ValidationTests {
    /// The built-in `linear-gaussian` simulator's own problem (D = 5, M = 10), so `npe-validate` finds it by name.
    static let problem = LinearGaussianProblem.standard()
    static let m = problem.outputCount, d = problem.thetaCount

    /// A held-out set in the training format: theta from the prior, noise-free x.
    static func writeDataset(rows: Int, grid: [Double]? = nil, seed: UInt64 = 99, name: String = "test.h5") throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npevalidate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        let prior = problem.prior
        let metadata = TrainingDatasetMetadata(
            parameterNames: prior.thetaNames, parameterUnits: prior.thetaNames.map { _ in "" }, priorJSON: try prior.jsonString(),
            contextNames: [], wavelength: grid ?? (1...m).map(Double.init), binWidth: Array(repeating: 1, count: m),
            simulatorName: problem.name, simulatorVersion: problem.version,
            // The problem's real configuration, as the builder records it: reference scoring rebuilds the simulator
            // from this record and refuses one that does not match the built-in simulator.
            simulatorConfigurationJSON: String(decoding: try JSONEncoder().encode(problem.configuration), as: UTF8.self),
            noiseModelJSON: try problem.noiseModel.jsonString(), seed: 1)
        let writer = try TrainingDatasetWriter(creatingAt: url, metadata: metadata)
        let stream = RandomStream(seed: seed)
        for row in 0..<rows {
            let theta = prior.draw(uniforms: (0..<d).map { stream.child(UInt64(row)).uniformDouble(UInt64($0)) })
            try writer.append(theta: theta.map(Float.init), x: try problem.simulate(theta).map(Float.init))
        }
        _ = try writer.commit()
        return url
    }

    static func model(width: Double = 1, names: [String]? = nil) -> ValidationModel {
        ValidationModel(
            posterior: AnalyticPosterior(problem: problem, width: width), prior: problem.prior,
            parameterNames: names ?? problem.prior.thetaNames, contextNames: [], wavelengths: (1...m).map(Double.init),
            noise: GaussianTestNoise(sigma: problem.noiseStandardDeviation), takesNoiseLevel: false,
            reference: "analytic@1", weightsSha256: String(repeating: "0", count: 64))
    }

    @Test func anExactPosteriorCoversTheDiagonalWithinTheBinomialBand() throws {
        let url = try Self.writeDataset(rows: 400)
        let report = try Validation.run(model: Self.model(), dataset: url, simulator: Self.problem,
                                        options: ValidationOptions(samples: 500, batchRows: 100, referenceRows: 4))
        #expect(report.dataset.rowsUsed == 400 && report.levels.count == 19)
        // N = 400 pairs: a calibrated coverage estimate at level γ is Binomial(400, γ)/400. The 99.9 % band per level
        // keeps the chance that any of the 19 levels leaves it below 2 % (union bound); the HPD ranks of S = 500
        // samples are resolved to 1/500, far inside the band's half-width of ≥ 0.035.
        for (i, level) in report.levels.enumerated() {
            let band = BinomialBand.interval(trials: 400, probability: level, mass: 0.999)
            #expect(band.contains(report.coverage[i]), "coverage \(report.coverage[i]) at \(level)")
            #expect(band.contains(report.tarp[i]), "TARP \(report.tarp[i]) at \(level)")
            for parameter in report.parameters { #expect(band.contains(parameter.coverage[i]), "\(parameter.name) at \(level)") }
        }
        // The posterior mean of the exact posterior beats the prior mean, and its spread matches its error
        // (RMSE ≈ mean sd; 400 rows estimate an RMSE to ~4 %, so 20 % is loose and still catches a 2x error).
        for parameter in report.parameters {
            #expect(parameter.rmse < parameter.priorRmse)
            #expect(abs(parameter.rmse / parameter.meanPosteriorStandardDeviation - 1) < 0.2)
            #expect(parameter.sbcPValue > 1e-3)
        }
        // Importance weights of the exact posterior are flat: efficiency 1, and the score is perfect.
        #expect(report.referenceScore.status == "computed" && report.referenceScore.simulations == 2000)
        #expect(try #require(report.referenceScore.meanEfficiency) > 0.999)
        #expect(try #require(report.referenceScore.adc2023) > 999)
    }

    @Test func anOverconfidentPosteriorUnderCovers() throws {
        let url = try Self.writeDataset(rows: 300)
        let report = try Validation.run(model: Self.model(width: 0.5), dataset: url, simulator: Self.problem,
                                        options: ValidationOptions(samples: 300, referenceRows: 3))
        // Half-width posteriors in 5-D: the level-0.5 HPD region holds the truth when χ²₅ < 4.35/4, about 4 % of pairs.
        let half = try #require(report.levels.firstIndex { abs($0 - 0.5) < 1e-9 })
        #expect(report.coverage[half] < 0.2)
        #expect(report.levels.dropFirst().allSatisfy { report.levelsOutsideBand.contains($0) })
        #expect(report.coverage.indices.allSatisfy { report.coverage[$0] <= report.levels[$0] })
        // Importance sampling sees it too: the weights are far from flat, and the marginals differ from the reference.
        #expect(try #require(report.referenceScore.meanEfficiency) < 0.7)
        #expect(try #require(report.referenceScore.adc2023) < 950)
    }

    @Test func aDatasetThatDoesNotFitTheModelIsAClearError() throws {
        let url = try Self.writeDataset(rows: 10)
        #expect(throws: ValidationRunError.incompatible(file: url.path, field: "parameter_names", expected: "[a, b, c, d, e]",
                                                     found: "[theta_1, theta_2, theta_3, theta_4, theta_5]")) {
            try Validation.run(model: Self.model(names: ["a", "b", "c", "d", "e"]), dataset: url, simulator: nil, options: .init(samples: 10))
        }
        let shifted = try Self.writeDataset(rows: 10, grid: [1, 2, 3, 4.5, 5, 6, 7, 8, 9, 10])
        #expect(throws: ValidationRunError.incompatible(file: shifted.path, field: "wavelength[3]", expected: "4.0 um", found: "4.5 um")) {
            try Validation.run(model: Self.model(), dataset: shifted, simulator: nil, options: .init(samples: 10))
        }
    }

    @Test func theReportRoundTripsThroughAnEvaluationRecord() throws {
        let url = try Self.writeDataset(rows: 40)
        let report = try Validation.run(model: Self.model(), dataset: url, simulator: nil, options: .init(samples: 50))
        #expect(report.referenceScore.status == "skipped" && report.referenceScore.reason?.contains("--reference-rows") == true)
        let record = try report.evaluationRecord(toolVersion: "test")
        #expect(record.kind == "validation")
        #expect(try ValidationReport(record: record) == report)
        #expect(report.table().contains("expected coverage"))
    }

    @Test func rowsOutsideTheTrainingRangeOfXAreLeftOutAndCounted() throws {
        let url = try Self.writeDataset(rows: 60)
        let reader = try TrainingDatasetReader(contentsOf: url)
        let x = try reader.readRows(0..<60).x
        try reader.close()
        // Accept bin 0 only below its median: about half the rows are outside.
        let column = (0..<60).map { x[$0 * Self.m] }.sorted()
        var model = Self.model()
        model.trainingRange = TrainingInputRange(
            lower: Array(repeating: -.infinity, count: Self.m), upper: [column[29]] + Array(repeating: .infinity, count: Self.m - 1))
        let report = try Validation.run(model: model, dataset: url, simulator: nil, options: .init(samples: 20))
        #expect(report.dataset.rowsOutsideTrainingRange == 30 && report.dataset.rowsUsed == 30)
    }

    @Test func theBinomialBandIsExact() {
        // Binomial(10, 0.5): P(K ≤ 1) = 11/1024 < 0.025 ≤ P(K ≤ 2) = 56/1024, so the 2.5 % quantile is 2; by symmetry 8.
        #expect(BinomialBand.interval(trials: 10, probability: 0.5) == 0.2...0.8)
        #expect(BinomialBand.quantile(n: 400, p: 0.05, q: 0.5) == 20)
    }
}
