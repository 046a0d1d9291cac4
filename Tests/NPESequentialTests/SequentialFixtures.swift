import Foundation
import NPEFlows
import NPESequential
import NPESimulators
import NPESupport
import NPETestSupport
import Testing

/// The linear-Gaussian problem the sequential tests refine (D = 2, M = 4, σ = 0.1: the exact posterior sd is
/// about 0.07 against a prior sd of 1, so the prior wastes most of its simulations, as on a flagged target), one
/// observation drawn from it, and small, fast settings.
struct LinearGaussianRefinement {
    let problem = LinearGaussianProblem.standard(thetaCount: 2, outputCount: 4)
    let refinementProblem: RefinementProblem
    let target: RefinementTarget
    let exact: MultivariateGaussian

    init(seed: UInt64 = 3) throws {
        refinementProblem = try RefinementProblem(prior: problem.prior, simulator: problem)
        let stream = RandomStream(seed: seed)
        let theta = (0..<2).map { 0.5 * stream.normalDouble(UInt64($0)) }
        var x = try problem.simulate(theta)
        for m in 0..<4 { x[m] += problem.noiseStandardDeviation[m] * stream.normalDouble(UInt64(10 + m)) }
        target = try RefinementTarget(id: "lg-\(seed)", x: x, sigma: problem.noiseStandardDeviation, binCount: 4, contextCount: 0)
        exact = try problem.posterior(given: x)
    }

    /// A small MAF: a few seconds per refinement in release.
    static let architecture = EstimatorArchitecture(
        thetaSupports: [.identity, .identity], xCount: 4,
        embedding: EmbeddingArchitecture(kind: .mlp, hiddenWidths: [32], outputCount: 16), flowKind: .maf,
        transforms: 3, hiddenWidths: [32, 32])

    static func settings(_ method: SequentialMethod, rounds: Int = 3, simulations: Int = 1000) -> SequentialSettings {
        var settings = SequentialSettings()
        settings.method = method
        settings.rounds = rounds
        settings.simulationsPerRound = simulations
        settings.truncationSamples = 20_000
        settings.changeSamples = 1000
        settings.threads = 2
        settings.seed = 11
        settings.training.epochs = 40
        settings.training.batchSize = 100
        settings.training.learningRate = 2e-3
        settings.training.schedule = .cosine(minimum: 1e-5)
        settings.training.patience = 40
        return settings
    }

    func refinement(_ settings: SequentialSettings, directory: URL, initial: (any PosteriorDensity)? = nil) -> SequentialRefinement {
        let refinement = SequentialRefinement(problem: refinementProblem, target: target, settings: settings,
                                              start: .fresh(Self.architecture, seed: 5), directory: directory)
        refinement.initialProposal = initial
        return refinement
    }
}

/// Weighted mean and covariance of row-major `[n, K]` draws (weights from log weights, self-normalised).
func moments(_ theta: [Double], thetaCount k: Int, logWeights: [Double]? = nil) -> (mean: [Double], covariance: [Double]) {
    let n = theta.count / k
    let top = logWeights?.max() ?? 0
    let w = logWeights.map { $0.map { exp($0 - top) } } ?? [Double](repeating: 1, count: n)
    let total = w.reduce(0, +)
    var mean = [Double](repeating: 0, count: k), covariance = [Double](repeating: 0, count: k * k)
    for i in 0..<n { for a in 0..<k { mean[a] += w[i] * theta[i * k + a] / total } }
    for i in 0..<n {
        for a in 0..<k { for b in 0..<k { covariance[a * k + b] += w[i] * (theta[i * k + a] - mean[a]) * (theta[i * k + b] - mean[b]) / total } }
    }
    return (mean, covariance)
}

/// The refined posterior's draws: SNPE-IS's weighted draws, or 4,000 draws of the refined estimator.
func posteriorDraws(_ result: SequentialRefinement.Result, target: RefinementTarget) throws -> (theta: [Double], logWeights: [Double]?) {
    if let weighted = result.weightedDraws { return (weighted.theta, weighted.logWeights) }
    let q = try EstimatorPosterior(estimator: try #require(result.estimator), target: target)
    return (try q.sample(count: 4000, seed: 99).theta, nil)
}
