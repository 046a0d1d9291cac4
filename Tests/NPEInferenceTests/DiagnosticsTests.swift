import Foundation
import NPESimulators
import NPETensor
import Testing
@testable import NPEInference
import NPESupport

/// Draws from the linear-Gaussian problem: truths from the prior, x from the likelihood, and samples from a
/// Gaussian "approximate posterior" that is the exact one with its covariance scaled by `width²` and its mean
/// shifted by `shift` posterior standard deviations (width 1, shift 0 = exact).
struct LinearGaussianBench {
    let problem = LinearGaussianProblem.standard(thetaCount: 3, outputCount: 6)
    let stream = RandomStream(seed: 2026)

    func uniforms(_ n: Int, _ key: UInt64) -> [Double] { (0..<n).map { stream.child(key).uniformDouble(UInt64($0)) } }

    /// (truth, x, exact posterior) for pair `i`.
    func pair(_ i: Int) throws -> (theta: [Double], x: [Double], posterior: MultivariateGaussian) {
        let u = uniforms(3 + 6, UInt64(i))
        let theta = (0..<3).map { StandardNormal.quantile(u[$0]) * problem.priorStandardDeviation[$0] + problem.priorMean[$0] }
        var x = try problem.simulate(theta)
        for m in 0..<6 { x[m] += problem.noiseStandardDeviation[m] * StandardNormal.quantile(u[3 + m]) }
        return (theta, x, try problem.posterior(given: x))
    }

    func approximation(of exact: MultivariateGaussian, width: Double, shift: Double) throws -> MultivariateGaussian {
        let sd = exact.standardDeviations
        return try MultivariateGaussian(mean: zip(exact.mean, sd).map { $0 + shift * $1 },
                                        covariance: exact.covariance.map { $0 * width * width })
    }

    func samples(_ q: MultivariateGaussian, count: Int, key: UInt64) -> [[Double]] {
        (0..<count).map { s in q.sample(uniforms: (0..<3).map { stream.child(key).child(UInt64(s)).uniformDouble(UInt64($0)) }) }
    }
}

@Test func importanceWeightsAreFlatAndTheEvidenceExactWhenQIsThePosterior() throws {
    let bench = LinearGaussianBench()
    let (_, x, posterior) = try bench.pair(0)
    let samples = bench.samples(posterior, count: 2000, key: 99)
    let logLikelihood = try samples.map { try bench.problem.logLikelihood(x: x, theta: $0) }
    let logPrior = samples.map { bench.problem.prior.logDensity(theta: $0) }
    let result = ImportanceSampling.weigh(logLikelihood: logLikelihood, logPrior: logPrior,
                                          logProposal: samples.map(posterior.logDensity))
    // p(x|θ)p(θ)/p(θ|x) = p(x) for every θ: the weights are equal up to rounding (1e-9 relative), so ESS = S.
    #expect(abs(result.effectiveSampleSize - 2000) < 1e-6)
    #expect(abs(result.logEvidence - (try bench.problem.logEvidence(x: x))) < 1e-8)
}

@Test("a wrong proposal lowers the importance-sampling efficiency", arguments: [(1.0, 1.5), (0.6, 0.0), (2.0, 0.0)])
func wrongProposalLowersEfficiency(width: Double, shift: Double) throws {
    let bench = LinearGaussianBench()
    let (_, x, posterior) = try bench.pair(1)
    let q = try bench.approximation(of: posterior, width: width, shift: shift)
    let samples = bench.samples(q, count: 4000, key: 7)
    let result = ImportanceSampling.weigh(
        logLikelihood: try samples.map { try bench.problem.logLikelihood(x: x, theta: $0) },
        logPrior: samples.map { bench.problem.prior.logDensity(theta: $0) },
        logProposal: samples.map(q.logDensity))
    // In 3-D, a 1.5σ shift or a 0.6/2.0 width ratio gives population efficiencies of ~0.1–0.5; 0.7 is a safe
    // ceiling, and the evidence estimate must still be near the truth (within 5 of its standard errors + 0.05).
    #expect(result.efficiency < 0.7)
    #expect(abs(result.logEvidence - (try bench.problem.logEvidence(x: x))) < 5 * result.logEvidenceStandardError + 0.05)
}

@Test func exactPosteriorsAreCalibratedAndNarrowOnesAreNot() throws {
    let bench = LinearGaussianBench()
    var exactRanks: [Double] = [], narrowRanks: [Double] = [], tarpExact: [Double] = [], sbc: [Int] = []
    for i in 0..<400 {
        let (theta, _, posterior) = try bench.pair(100 + i)
        let narrow = try bench.approximation(of: posterior, width: 0.5, shift: 0)
        let samples = bench.samples(posterior, count: 200, key: UInt64(5000 + i))
        let narrowSamples = bench.samples(narrow, count: 200, key: UInt64(5000 + i))
        exactRanks.append(ExpectedCoverage.hpdRank(logDensityOfTruth: posterior.logDensity(theta),
                                                  logDensityOfSamples: samples.map(posterior.logDensity)))
        narrowRanks.append(ExpectedCoverage.hpdRank(logDensityOfTruth: narrow.logDensity(theta),
                                                   logDensityOfSamples: narrowSamples.map(narrow.logDensity)))
        let reference = (0..<3).map { d in 3 * (2 * bench.stream.child(77).uniformDouble(UInt64(3 * i + d)) - 1) }
        tarpExact.append(TARP.fraction(truth: theta, reference: reference, samples: samples))
        sbc.append(SimulationBasedCalibration.rank(of: theta[0], among: samples.map { $0[0] }))
    }
    // 400 pairs: a binomial coverage estimate has sd ≤ 0.025, so ±0.08 is > 3 sd.
    for (level, coverage) in ExpectedCoverage.curve(ranks: exactRanks) { #expect(abs(coverage - level) < 0.08) }
    for (level, coverage) in TARP.curve(fractions: tarpExact) { #expect(abs(coverage - level) < 0.08) }
    // Half-width posteriors in 3-D cover far less than claimed: at level 0.5 they cover under 10%.
    let narrowCurve = ExpectedCoverage.curve(ranks: narrowRanks)
    #expect(narrowCurve.first { abs($0.level - 0.5) < 1e-9 }!.coverage < 0.2)
    #expect(SimulationBasedCalibration.uniformityTest(ranks: sbc, sampleCount: 200, bins: 10).pValue > 0.001)
}

@Test func sbcRejectsABiasedPosterior() throws {
    let bench = LinearGaussianBench()
    var ranks: [Int] = []
    for i in 0..<300 {
        let (theta, _, posterior) = try bench.pair(900 + i)
        let biased = try bench.approximation(of: posterior, width: 1, shift: 1)
        ranks.append(SimulationBasedCalibration.rank(of: theta[0], among: bench.samples(biased, count: 100, key: UInt64(i)).map { $0[0] }))
    }
    #expect(SimulationBasedCalibration.uniformityTest(ranks: ranks, sampleCount: 100, bins: 10).pValue < 1e-6)
}

@Test func kolmogorovSmirnovAndTheADCScore() {
    // Hand-computed: F_a jumps at 1,2,3 (thirds), F_b at 2.5 (all): the gap peaks at x = 2: |2/3 − 0|.
    #expect(abs(PosteriorScore.kolmogorovSmirnov([1, 2, 3], [2.5]) - 2.0 / 3) < 1e-12)
    #expect(PosteriorScore.kolmogorovSmirnov([1, 2], [1, 2]) == 0)
    // Weights: a reference with all weight on 3 equals the sample set {3}.
    #expect(PosteriorScore.kolmogorovSmirnov([3], [1, 3], weightsB: [0, 1]) == 0)
    let same = (0..<500).map { [Double($0) / 500, 1 - Double($0) / 500] }
    #expect(PosteriorScore.adc2023(samples: same, reference: same, bounds: [0...1, 0...1]) == 1000)
    let apart = same.map { [$0[0] * 0.1, $0[1] * 0.1 + 0.9] }
    #expect(PosteriorScore.adc2023(samples: same, reference: apart, bounds: [0...1, 0...1]) < 300)
}

@Test func weightedSummaryQuantiles() {
    let values = (1...1000).map(Double.init)
    let s = PosteriorSummary(samples: values)
    #expect(s.mean == 500.5 && s.median == 500 && s.percentile2_5 == 25 && s.percentile97_5 == 975)
    #expect(abs(s.standardDeviation - 288.675) < 1e-3)
    // Weight only on the top half moves every quantile there.
    let top = PosteriorSummary(samples: values, weights: values.map { $0 > 500 ? 1 : 0 })
    #expect(top.median == 750 && top.percentile2_5 == 513)
}

@Test func c2stSeparatesShiftedSetsAndNotIdenticalOnes() throws {
    let stream = RandomStream(seed: 12)
    func gaussian(_ n: Int, shift: Double, key: UInt64) -> [[Double]] {
        (0..<n).map { i in (0..<2).map { d in stream.child(key).normalDouble(UInt64(2 * i + d)) + (d == 0 ? shift : 0) } }
    }
    let a = gaussian(400, shift: 0, key: 1)
    // Same distribution: held-out accuracy of 400 test points has sd 0.025 around 0.5, and a small net overfits a
    // little: 0.6 is a 4-sd bound. A 2σ shift in one coordinate is separable with accuracy ≈ Φ(1) = 0.84.
    #expect(try ClassifierTwoSampleTest.accuracy(a, gaussian(400, shift: 0, key: 2), epochs: 150) < 0.6)
    #expect(try ClassifierTwoSampleTest.accuracy(a, gaussian(400, shift: 2, key: 3), epochs: 150) > 0.78)
}
