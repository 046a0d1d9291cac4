import Foundation
import NPEFlows
import NPESequential
import NPESimulators
import NPETestSupport
import Testing

/// A run stopped in the middle of round 1's training (as a kill would leave it: round 0 complete, round 1's
/// simulations and trainer checkpoint on disk) and then resumed ends with the same records and bit-identical
/// weights as an uninterrupted run.
@Test func aStoppedRunResumedEqualsAnUninterruptedOne() throws {
    let fixture = try LinearGaussianRefinement()
    var settings = LinearGaussianRefinement.settings(.tsnpe, rounds: 2, simulations: 400)
    settings.training.epochs = 8
    let straight = try makeTemporaryDirectory("refine-straight"), resumed = try makeTemporaryDirectory("refine-resumed")
    defer { for d in [straight, resumed] { try? FileManager.default.removeItem(at: d) } }
    let reference = try fixture.refinement(settings, directory: straight).run()

    let first = fixture.refinement(settings, directory: resumed)
    var polls = 0
    // Round 0 trains 8 epochs of 3-4 steps; stop about 10 steps into round 1.
    first.shouldStop = { polls += 1; return polls > 45 }
    let partial = try first.run()
    #expect(partial.interrupted && partial.records.count < 2)
    let second = try fixture.refinement(settings, directory: resumed).run(resume: true)
    #expect(!second.interrupted)
    #expect(second.records.count == reference.records.count)
    for (a, b) in zip(second.records, reference.records) {
        var a = a, b = b
        a.seconds = 0
        b.seconds = 0
        #expect(a == b)
    }
    let weightsA = try #require(second.estimator).parameterDictionary(), weightsB = try #require(reference.estimator).parameterDictionary()
    #expect(weightsA == weightsB)
}

/// Two moons at xₒ = (0, 0), from the prior, 10 rounds × 1,000 simulations (TSNPE): the posterior is two
/// crescents, mirror images under θ ↦ (−θ₂, −θ₁), on either side of θ₁ + θ₂ = 0. Both halves must hold at least
/// 20% of the draws (a fit that found one crescent holds < 5% in the other), and most draws must sit on a
/// crescent: the latent radius implied by (x − m(θ)) within 0.05 of its mean 0.1 for 70% of them (5 of the
/// radius's sd; prior draws satisfy it about 10% of the time).
@Test func twoMoonsTenRoundsHasBothCrescents() throws {
    let moons = TwoMoonsProblem()
    let problem = try RefinementProblem(prior: moons.prior, simulator: moons, thetaCount: 2)
    let target = try RefinementTarget(id: "moons", x: [0, 0], sigma: nil, binCount: 2, contextCount: 0)
    var settings = LinearGaussianRefinement.settings(.tsnpe, rounds: 10, simulations: 1000)
    settings.truncationSamples = 10_000
    settings.training.epochs = 20
    settings.training.batchSize = 200
    let architecture = EstimatorArchitecture(
        thetaSupports: [.logit(low: -1, high: 1), .logit(low: -1, high: 1)], xCount: 2,
        embedding: EmbeddingArchitecture(kind: .identity), flowKind: .nsf, transforms: 4, hiddenWidths: [48, 48], bins: 8)
    let directory = try makeTemporaryDirectory("refine-moons")
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try SequentialRefinement(problem: problem, target: target, settings: settings, start: .fresh(architecture, seed: 3),
                                          directory: directory).run()
    #expect(result.records.count == 10)
    #expect(result.records.allSatisfy { $0.outsidePriorFraction == 0 })
    let draws = try EstimatorPosterior(estimator: try #require(result.estimator), target: target).sample(count: 4000, seed: 1).theta
    var upper = 0, onCrescent = 0
    for s in 0..<4000 {
        let t1 = draws[2 * s], t2 = draws[2 * s + 1]
        if t1 + t2 > 0 { upper += 1 }
        let (m1, m2) = TwoMoonsProblem.shift(theta1: t1, theta2: t2)
        let radius = ((0 - m1 - 0.25) * (0 - m1 - 0.25) + (0 - m2) * (0 - m2)).squareRoot()
        if abs(radius - 0.1) < 0.05 { onCrescent += 1 }
    }
    #expect(upper > 800 && upper < 3200, "draws above θ₁ + θ₂ = 0: \(upper) of 4000")
    #expect(onCrescent > 2800, "draws on a crescent: \(onCrescent) of 4000")
}
