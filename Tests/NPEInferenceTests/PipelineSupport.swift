import Foundation
import NPESimulators
import NPETensor
@testable import NPEInference
import NPESupport

/// A sampler that draws from the exact linear-Gaussian posterior, widened by `width` and shifted by `shift`
/// posterior standard deviations: the known-q stand-in for a trained flow in pipeline tests.
struct GaussianPosteriorSampler: PosteriorSampler {
    let problem: LinearGaussianProblem
    var width = 1.0
    var shift = 0.0
    /// Throws after this many calls (a crash in the middle of a run), when set.
    var failAfterCalls: Int?
    let calls = CallCounter()

    var parameterNames: [String] { problem.inputNames }

    func sample(x: [Float], sigma: [Float]?, context: [Float], count: Int, stream: RandomStream, workers: Int) throws
        -> (theta: [Float], logProposal: [Float])
    {
        if let failAfterCalls, calls.increment() > failAfterCalls { throw SimulatedCrash() }
        let exact = try problem.posterior(given: x.map(Double.init))
        let sd = exact.standardDeviations
        let q = try MultivariateGaussian(mean: zip(exact.mean, sd).map { $0 + shift * $1 },
                                         covariance: exact.covariance.map { $0 * width * width })
        let d = problem.thetaCount
        var theta: [Float] = [], logq: [Float] = []
        for s in 0..<count {
            let sample = q.sample(uniforms: (0..<d).map { stream.uniformDouble(UInt64(s * d + $0)) })
            theta += sample.map(Float.init)
            logq.append(Float(q.logDensity(sample)))
        }
        return (theta, logq)
    }
}

struct SimulatedCrash: Error {}

final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; count += 1; return count }
}

/// A linear-Gaussian catalogue (D = 3, M = 6) of `count` targets with truths, and the pieces of a job around it.
struct PipelineFixture {
    let problem = LinearGaussianProblem.standard(thetaCount: 3, outputCount: 6)
    let bench = LinearGaussianBench()

    func catalogue(count: Int, edit: (inout [Double], inout [Double]) -> Void = { _, _ in }) throws -> Catalogue {
        var x: [Double] = [], truths: [Double] = []
        for i in 0..<count {
            let pair = try bench.pair(i)
            x += pair.x
            truths += pair.theta
        }
        var sigma = [Double](repeating: 0.1, count: count * 6)
        edit(&x, &sigma)
        return try Catalogue(source: "memory", ids: (0..<count).map { "T\($0)" }, wavelengths: (0..<6).map { 1 + Double($0) },
                             x: x, sigma: sigma, contextNames: [], context: nil,
                             thetaNames: problem.inputNames, thetaTrue: truths)
    }

    var requirements: ModelRequirements {
        ModelRequirements(reference: "lg@1", kind: "test-gaussian", weightsSHA256: String(repeating: "ab", count: 32),
                          parameterNames: problem.inputNames, parameterUnits: ["", "", ""],
                          wavelengths: (0..<6).map { 1 + Double($0) }, binCount: 6, contextNames: [], defaultSigma: nil)
    }

    /// The spread of x over the prior predictive: mean A μ₀ + b, sd √(Σ_d A_md² s_d² + σ²).
    var screening: TargetScreening {
        let d = problem.thetaCount
        let mean = (0..<6).map { m in problem.offset[m] }
        let sd = (0..<6).map { m in ((0..<d).reduce(0.01) { $0 + problem.matrix[m * d + $1] * problem.matrix[m * d + $1] }).squareRoot() }
        return TargetScreening(xMean: mean, xStandardDeviation: sd, contextPrior: nil)
    }

    func job(_ catalogue: Catalogue, sampler: GaussianPosteriorSampler? = nil, settings: InferenceSettings) throws -> InferenceJob {
        let likelihood = try SimulatorLikelihood(simulator: problem, prior: problem.prior, thetaNames: problem.inputNames,
                                                 contextNames: [], model: "lg@1")
        return try InferenceJob(catalogue: catalogue, catalogueSHA256: "cafe", model: requirements,
                                sampler: sampler ?? GaussianPosteriorSampler(problem: problem), samplerReadsSigma: false,
                                likelihood: likelihood, screening: screening, settings: settings)
    }
}

/// Bit patterns, so NaN compares equal to the same NaN.
func bits(_ values: [Float]?) -> [UInt32]? { values?.map(\.bitPattern) }
func bits(_ values: [Double]?) -> [UInt64]? { values?.map(\.bitPattern) }

/// Every dataset of two posterior files, bit for bit.
func sameDatasets(_ a: PosteriorFile, _ b: PosteriorFile) -> Bool {
    bits(a.samples) == bits(b.samples) && bits(a.logProposal) == bits(b.logProposal) && bits(a.logWeights) == bits(b.logWeights)
        && bits(a.effectiveSampleSize) == bits(b.effectiveSampleSize) && bits(a.efficiency) == bits(b.efficiency)
        && bits(a.logEvidence) == bits(b.logEvidence) && bits(a.summary) == bits(b.summary) && a.flags == b.flags
        && a.flagReasons == b.flagReasons && a.ids == b.ids && bits(a.thetaTrue) == bits(b.thetaTrue) && a.runDigest == b.runDigest
}
