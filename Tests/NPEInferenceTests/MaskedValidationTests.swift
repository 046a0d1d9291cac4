import Foundation
import NPESupport
import NPEFlows
import NPESimulators
import NPETensor
import Testing
@testable import NPEInference

/// The exact posterior of each row's observed bins (NaN in x = missing) as an ``AmortizedPosterior``.
struct ObservedBinsAnalyticPosterior: AmortizedPosterior {
    let problem: LinearGaussianProblem
    var thetaCount: Int { problem.thetaCount }

    func posterior(_ x: Tensor, row: Int) throws -> MultivariateGaussian {
        let bins = (0..<problem.outputCount).filter { !x[row, $0].isNaN }
        return try problem.observing(bins: bins).posterior(given: bins.map { Double(x[row, $0]) })
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
        try (0..<x.shape[0]).map { row in Float(try posterior(x, row: row).logDensity((0..<thetaCount).map { Double(theta[row, $0]) })) }
    }
}

@Suite("npe-validate on partial spectra (--missing-bins)")
struct MaskedValidationTests {
    static let problem = ValidationTests.problem

    static func model(acceptsMissingBins: Bool) -> ValidationModel {
        ValidationModel(
            posterior: ObservedBinsAnalyticPosterior(problem: problem), prior: problem.prior, parameterNames: problem.prior.thetaNames,
            contextNames: [], wavelengths: (1...problem.outputCount).map(Double.init),
            noise: GaussianTestNoise(sigma: problem.noiseStandardDeviation), takesNoiseLevel: false, reference: "analytic@1",
            weightsSha256: String(repeating: "0", count: 64), acceptsMissingBins: acceptsMissingBins)
    }

    /// The exact posterior of the observed bins, validated with bins 6–9 missing: calibrated (the 99.9 % binomial
    /// band per level, as in ``ValidationTests``), its importance weights against the likelihood of the observed bins
    /// flat, and wider than with complete spectra (the exact widths grow by 1.2–2× here).
    @Test func anExactPartialSpectrumPosteriorIsCalibratedAndWider() throws {
        let url = try ValidationTests.writeDataset(rows: 300)
        var options = ValidationOptions(samples: 400, batchRows: 100, referenceRows: 3)
        let complete = try Validation.run(model: Self.model(acceptsMissingBins: true), dataset: url, simulator: Self.problem, options: options)
        options.missingBins = [6, 7, 8, 9]
        let partial = try Validation.run(model: Self.model(acceptsMissingBins: true), dataset: url, simulator: Self.problem, options: options)
        #expect(partial.missingBins == [6, 7, 8, 9] && complete.missingBins == nil)
        #expect(partial.table().contains("missing bins (not observed in any test spectrum): 6–9"))
        for (i, level) in partial.levels.enumerated() {
            #expect(BinomialBand.interval(trials: 300, probability: level, mass: 0.999).contains(partial.coverage[i]), "coverage at \(level)")
        }
        #expect(try #require(partial.referenceScore.meanEfficiency) > 0.999)
        for (masked, full) in zip(partial.parameters, complete.parameters) {
            #expect(masked.meanPosteriorStandardDeviation > 1.1 * full.meanPosteriorStandardDeviation, "\(masked.name)")
        }
        // The record keeps the bins.
        #expect(try ValidationReport.decode(try partial.jsonData()).missingBins == [6, 7, 8, 9])
    }

    @Test func missingBinsNeedAMaskAwareModelAndAValidList() throws {
        let url = try ValidationTests.writeDataset(rows: 10)
        var options = ValidationOptions(samples: 10)
        options.missingBins = [2]
        let refused = #expect(throws: ValidationRunError.self) {
            try Validation.run(model: Self.model(acceptsMissingBins: false), dataset: url, simulator: nil, options: options)
        }
        #expect(refused?.description.contains("was trained on complete spectra") == true)
        options.missingBins = Array(0..<10)
        #expect(throws: ValidationRunError.self) {
            try Validation.run(model: Self.model(acceptsMissingBins: true), dataset: url, simulator: nil, options: options)
        }
        #expect(try ValidationOptions.bins(parsing: "42-51") == Array(42...51))
        #expect(try ValidationOptions.bins(parsing: "3-8,0,5") == [0, 3, 4, 5, 6, 7, 8])
        for bad in ["", "a", "5-2", "-1", "1-2-3", "4,"] {
            #expect(throws: ValidationRunError.self, "\(bad)") { try ValidationOptions.bins(parsing: bad) }
        }
        #expect(ValidationOptions.describe(bins: [0, 3, 4, 5, 9]) == "0, 3–5, 9")
    }

    /// ``EstimatorSampler`` turns NaN bins into the mask of a mask-aware estimator: the same draws as passing the
    /// mask explicitly, whatever value stood in the missing bins.
    @Test func theEstimatorSamplerReadsNaNAsMissing() throws {
        let architecture = EstimatorArchitecture(
            thetaSupports: [.identity, .identity], xCount: 4, maskInput: true,
            embedding: EmbeddingArchitecture(kind: .mlp, hiddenWidths: [8], outputCount: 4), flowKind: .nsfc, transforms: 2,
            hiddenWidths: [8], bins: 4, tailBound: 4)
        let estimator = try NeuralPosteriorEstimator(architecture: architecture, standardization: .identity(thetaCount: 2, xCount: 4),
                                                     stream: RandomStream(seed: 1))
        let sampler = EstimatorSampler(estimator: estimator, parameterNames: ["a", "b"])
        #expect(sampler.acceptsMissingBins)
        let draws = try sampler.sample(x: [0.1, .nan, 0.3, .nan], sigma: nil, context: [], count: 20, stream: RandomStream(seed: 2), workers: 1)
        let explicit = try estimator.sample(given: try Tensor(shape: [1, 4], scalars: [0.1, 7, 0.3, -7]),
                                            observed: try Tensor(shape: [1, 4], scalars: [1, 0, 1, 0]), count: 20,
                                            stream: RandomStream(seed: 2))
        #expect(draws.theta == explicit.theta.scalars && draws.logProposal == explicit.logProbability.scalars)
        let plain = EstimatorSampler(estimator: try NeuralPosteriorEstimator(
            architecture: EstimatorArchitecture(thetaSupports: [.identity, .identity], xCount: 4, embedding: .identity, flowKind: .maf,
                                                transforms: 1, hiddenWidths: [4]),
            standardization: .identity(thetaCount: 2, xCount: 4), stream: RandomStream(seed: 1)), parameterNames: ["a", "b"])
        #expect(!plain.acceptsMissingBins)
    }
}
