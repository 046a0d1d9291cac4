import Foundation
import NPESequential
import NPESimulators
import NPETestSupport
import Testing

/// Each method, from the prior, against the exact linear-Gaussian posterior (sd ≈ 0.07 per parameter).
///
/// Tolerances: a 3-round × 1,000-simulation fit of a small MAF (or SNPE-IS's weighted draws) lands within about
/// 0.2 posterior sd of the exact mean and 20% of its sd in these runs; 0.5 sd and ±35% (and 0.35 on the
/// correlation-scaled off-diagonal) leave a margin for other BLAS summation orders, while a method that fails to
/// refine (the prior's sd is 14× larger, its mean 0) or ignores the proposal correction misses by far more.
@Test(arguments: SequentialMethod.allCases)
func eachMethodFromThePriorReachesTheExactPosterior(method: SequentialMethod) throws {
    let fixture = try LinearGaussianRefinement()
    let directory = try makeTemporaryDirectory("refine-\(method.rawValue)")
    defer { try? FileManager.default.removeItem(at: directory) }
    var settings = LinearGaussianRefinement.settings(method)
    if method == .snpeIS {
        settings.rounds = 4
        settings.minimumEffectiveSampleSize = 400
    }
    let result = try fixture.refinement(settings, directory: directory).run()
    #expect(result.records.count >= 2)
    for record in result.records {
        #expect(record.outsidePriorFraction == 0)
        #expect(record.invalidSimulations == 0)
        #expect(record.effectiveSampleSize != nil)
    }
    if method == .snpeIS { #expect(result.reachedMinimumEffectiveSampleSize, "\(result.records.map(\.line))") }
    let draws = try posteriorDraws(result, target: fixture.target)
    let (mean, covariance) = moments(draws.theta, thetaCount: 2, logWeights: draws.logWeights)
    let sd = fixture.exact.standardDeviations
    for d in 0..<2 {
        #expect(abs(mean[d] - fixture.exact.mean[d]) < 0.5 * sd[d], "\(method) mean \(d): \(mean[d]) vs \(fixture.exact.mean[d]) ± \(sd[d])")
        let ratio = covariance[d * 2 + d].squareRoot() / sd[d]
        #expect(ratio > 0.65 && ratio < 1.35, "\(method) sd \(d): ratio \(ratio)")
    }
    let offDiagonal = (covariance[1] - fixture.exact.covariance[1]) / (sd[0] * sd[1])
    #expect(abs(offDiagonal) < 0.35, "\(method) covariance: \(covariance[1]) vs \(fixture.exact.covariance[1])")
}

/// SNPE-IS's ESS is the Kish ESS of all N draws, so its efficiency must match the analytic efficiency of the
/// proposal, 1 / ∫ p²/q dθ, for a Gaussian q against the Gaussian posterior p:
///
///   ∫ p²/q = |Q|^½ |P|⁻¹ |A|^-½ exp(½(bᵀA⁻¹b − c)),   A = 2P⁻¹ − Q⁻¹,  b = 2P⁻¹μp − Q⁻¹μq,
///   c = 2μpᵀP⁻¹μp − μqᵀQ⁻¹μq.
///
/// Tolerance: with N = 8,000 draws and an efficiency near 0.5, the Kish estimate's standard error is about
/// 0.01 (its delta-method variance over these weights); 0.04 is 4 standard errors. A pilot-style estimate
/// on a subset, or weights against the wrong density, miss by more.
@Test func snpeISEffectiveSampleSizeMatchesTheAnalyticEfficiency() throws {
    let fixture = try LinearGaussianRefinement()
    let p = fixture.exact
    let sd = p.standardDeviations
    let q = try MultivariateGaussian(mean: [p.mean[0] + 0.5 * sd[0], p.mean[1] - 0.3 * sd[1]],
                                     covariance: [1.8 * sd[0] * sd[0], 0, 0, 1.5 * sd[1] * sd[1]])
    let directory = try makeTemporaryDirectory("refine-ess")
    defer { try? FileManager.default.removeItem(at: directory) }
    var settings = LinearGaussianRefinement.settings(.snpeIS, rounds: 1, simulations: 8000)
    settings.minimumEffectiveSampleSize = 1e9
    let result = try fixture.refinement(settings, directory: directory, initial: GaussianPosterior(q)).run()
    let record = try #require(result.records.first)
    #expect(record.proposal == "initial")
    let efficiency = try #require(record.efficiency)
    expectClose(efficiency, analyticEfficiency(p: p, q: q), absolute: 0.04)
    #expect(result.estimator == nil, "one round on an outside proposal trains nothing")
}

/// APT's atomic loss corrects the proposal: round 0 is drawn from a Gaussian 3 posterior sd off the truth and
/// 3× too wide, and all rounds train together; maximum likelihood on those rows would fit the proposal
/// posterior instead. Tolerances as in the first test.
@Test func aptFromAWrongInitialProposalStillConverges() throws {
    let fixture = try LinearGaussianRefinement()
    let p = fixture.exact, sd = p.standardDeviations
    let wrong = try MultivariateGaussian(mean: [p.mean[0] + 3 * sd[0], p.mean[1] - 3 * sd[1]],
                                         covariance: [9 * sd[0] * sd[0], 0, 0, 9 * sd[1] * sd[1]])
    let directory = try makeTemporaryDirectory("refine-apt-wrong")
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try fixture.refinement(LinearGaussianRefinement.settings(.apt), directory: directory,
                                        initial: GaussianPosterior(wrong)).run()
    #expect(result.records.first?.proposal == "initial")
    let draws = try posteriorDraws(result, target: fixture.target)
    let (mean, covariance) = moments(draws.theta, thetaCount: 2)
    for d in 0..<2 {
        #expect(abs(mean[d] - p.mean[d]) < 0.5 * sd[d], "mean \(d): \(mean[d]) vs \(p.mean[d]) ± \(sd[d])")
        let ratio = covariance[d * 2 + d].squareRoot() / sd[d]
        #expect(ratio > 0.65 && ratio < 1.35, "sd \(d): ratio \(ratio)")
    }
}

/// 1 / ∫ p²/q for Gaussians in 2-D (formula in the test above).
func analyticEfficiency(p: MultivariateGaussian, q: MultivariateGaussian) -> Double {
    func inverse(_ m: [Double]) -> [Double] {
        let det = m[0] * m[3] - m[1] * m[2]
        return [m[3] / det, -m[1] / det, -m[2] / det, m[0] / det]
    }
    func det(_ m: [Double]) -> Double { m[0] * m[3] - m[1] * m[2] }
    func times(_ m: [Double], _ v: [Double]) -> [Double] { [m[0] * v[0] + m[1] * v[1], m[2] * v[0] + m[3] * v[1]] }
    func dot(_ a: [Double], _ b: [Double]) -> Double { a[0] * b[0] + a[1] * b[1] }
    let pi = inverse(p.covariance), qi = inverse(q.covariance)
    let a = (0..<4).map { 2 * pi[$0] - qi[$0] }
    let b = (0..<2).map { 2 * times(pi, p.mean)[$0] - times(qi, q.mean)[$0] }
    let c = 2 * dot(p.mean, times(pi, p.mean)) - dot(q.mean, times(qi, q.mean))
    let integral = det(q.covariance).squareRoot() / det(p.covariance) / det(a).squareRoot()
        * exp(0.5 * (dot(b, times(inverse(a), b)) - c))
    return 1 / integral
}
