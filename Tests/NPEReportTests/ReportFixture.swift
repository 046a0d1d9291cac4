import Foundation
import NPESimulators
import NPESupport
import NPETensor
@testable import NPEInference

/// A small finished run to report on: 6 linear-Gaussian targets (D = 2, M = 40) with importance sampling and the
/// predictive check. Target 1 has an infinite bin (invalid input); targets 4 and 5 carry a feature the model lacks
/// (model_misfit). Also a validation report of the same model, for the calibration section.
struct ReportFixture {
    let problem = LinearGaussianProblem.standard(thetaCount: 2, outputCount: 40)
    static let targetCount = 6

    /// Draws from the exact posterior widened by 1.3 (so importance weights are not all equal).
    struct Sampler: PosteriorSampler {
        let problem: LinearGaussianProblem
        var parameterNames: [String] { problem.inputNames }
        func sample(x: [Float], sigma: [Float]?, context: [Float], count: Int, stream: RandomStream, workers: Int) throws
            -> (theta: [Float], logProposal: [Float]) {
            let exact = try problem.posterior(given: x.map(Double.init))
            let q = try MultivariateGaussian(mean: exact.mean, covariance: exact.covariance.map { $0 * 1.69 })
            var theta: [Float] = [], logq: [Float] = []
            for s in 0..<count {
                let d = problem.thetaCount
                let draw = q.sample(uniforms: (0..<d).map { stream.uniformDouble(UInt64(s * d + $0)) })
                theta += draw.map(Float.init)
                logq.append(Float(q.logDensity(draw)))
            }
            return (theta, logq)
        }
    }

    func catalogue() throws -> Catalogue {
        let stream = RandomStream(seed: 31)
        var x: [Double] = [], truths: [Double] = []
        for t in 0..<Self.targetCount {
            let draws = stream.child(UInt64(t))
            let theta = (0..<2).map { draws.normalDouble(UInt64($0)) }
            let mu = try problem.simulate(theta)
            let bump = t >= 4 ? 0.6 : 0
            x += (0..<40).map { b in mu[b] + 0.1 * draws.normalDouble(UInt64(2 + b)) + bump * exp(-0.5 * pow((Double(b) - 20) / 2, 2)) }
            truths += theta
        }
        x[40] = .infinity  // invalid input (NaN would mark a missing bin, which is not this fixture's point)
        return try Catalogue(source: "mock-catalogue.h5", ids: ["HD 209458 b", "WASP-39 b", "K2-18 b", "TOI-270 d", "GJ 1214 b", "WASP-107 b"],
                             wavelengths: (0..<40).map { 0.5 + 0.19 * Double($0) }, x: x, sigma: [Double](repeating: 0.1, count: 6 * 40),
                             contextNames: [], context: nil, thetaNames: problem.inputNames, thetaTrue: truths)
    }

    /// Runs inference into `directory/post.h5`.
    func posterior(in directory: URL) throws -> URL {
        let requirements = ModelRequirements(reference: "lg-report@3", kind: "npe-flow", weightsSHA256: String(repeating: "5e", count: 32),
                                             parameterNames: problem.inputNames, parameterUnits: ["", "K"],
                                             wavelengths: nil, binCount: 40, contextNames: [], defaultSigma: nil)
        let likelihood = try SimulatorLikelihood(simulator: problem, prior: problem.prior, thetaNames: problem.inputNames,
                                                 contextNames: [], model: "lg-report@3")
        let screening = TargetScreening(xMean: [Double](repeating: 0, count: 40), xStandardDeviation: [Double](repeating: 100, count: 40),
                                        contextPrior: nil)
        let settings = InferenceSettings(samplesPerTarget: 300, seed: 8, importanceSampling: true, batchTargets: 4, threads: 2,
                                         predictiveDraws: 50, predictiveReplicates: 20)
        let job = try InferenceJob(catalogue: try catalogue(), catalogueSHA256: String(repeating: "c0", count: 32), model: requirements,
                                   sampler: Sampler(problem: problem), samplerReadsSigma: false, likelihood: likelihood,
                                   screening: screening, settings: settings)
        return try InferenceRun.run(job, output: directory.appendingPathComponent("post.h5"), resume: false).output
    }

    /// A validation report of the model, as npe-validate writes it (the values are plausible, not measured).
    func evaluation(in directory: URL) throws -> URL {
        let levels = (1...19).map { Double($0) * 0.05 }
        let parameter = { (name: String) in
            ValidationReport.ParameterResult(name: name, unit: "", coverage: levels, sbcHistogram: [48, 52, 50, 47, 53, 50, 49, 51],
                                             sbcChiSquared: 0.36, sbcPValue: 0.9999, rmse: 0.0071, priorRmse: 1.0,
                                             meanPosteriorStandardDeviation: 0.0070)
        }
        let report = ValidationReport(
            model: .init(reference: "lg-report@3", weightsSha256: String(repeating: "5e", count: 32), noise: nil),
            dataset: .init(path: "test.h5", contentSha256: String(repeating: "d1", count: 32), rowsAvailable: 400, rowsUsed: 400, rowsFlagged: 0),
            samples: 200, seed: 1, levels: levels, coverage: levels.map { $0 + 0.01 }, bandLower: levels.map { $0 - 0.04 },
            bandUpper: levels.map { $0 + 0.04 }, maxCoverageDeviation: 0.01, levelsOutsideBand: [], tarp: levels, sbcBins: 8,
            parameters: [parameter("theta_1"), parameter("theta_2")], referenceScore: .skipped("not asked for"),
            samplingSeconds: 1.5, totalSeconds: 2.0)
        let url = directory.appendingPathComponent("evaluation.json")
        try report.write(to: url)
        return url
    }
}
