import Foundation
import NPETestSupport
import Testing
@testable import NPESimulators

@Suite("Analytic problems")
struct AnalyticProblemTests {
    static let problem = LinearGaussianProblem.standard()

    /// Draws θ from the prior and x from the full noisy likelihood.
    static func drawJoint(_ generator: inout SeededGenerator) throws -> (theta: [Double], x: [Double]) {
        let theta = problem.prior.draw(uniforms: (0..<problem.thetaCount).map { _ in generator.uniform() })
        var x = try problem.simulate(theta)
        NoiseModel.addNoise(to: &x, sigma: try problem.noiseModel.sigma(),
                            uniforms: (0..<problem.outputCount).map { _ in generator.uniform() })
        return (theta, x)
    }

    @Test func linearGaussianDefaultsAndSimulatorSurface() throws {
        #expect(Self.problem.thetaCount == 5 && Self.problem.outputCount == 10)
        #expect(Self.problem.inputNames == ["theta_1", "theta_2", "theta_3", "theta_4", "theta_5"])
        #expect(Self.problem.prior.thetaNames == Self.problem.inputNames)
        let x = try Self.problem.simulate([1, 0, 0, 0, 0])
        // Column 0 of A plus b: cos(π (m + ½) / 10) + 0.1 m.
        for m in 0..<10 { expectClose(x[m], cos(Double.pi * (Double(m) + 0.5) / 10) + 0.1 * Double(m), absolute: 1e-15) }
        #expect(throws: SimulatorError.wrongInputCount(expected: 5, got: 2)) { try Self.problem.simulate([1, 2]) }
    }

    @Test func posteriorMatchesTheConditioningFormula() throws {
        // An independent route: μ = μ₀ + S₀Aᵀ C⁻¹ (x − Aμ₀ − b), Σ = S₀ − S₀Aᵀ C⁻¹ A S₀ with C = A S₀ Aᵀ + Σₙ,
        // an M × M solve instead of the D × D precision solve.
        let problem = try LinearGaussianProblem(
            matrix: [1, 0.5, -0.3, 2, 0, 1, 0.7, -1, 0.2, 0.4, 1.5, 0.1], offset: [0.1, -0.2, 0.3, 0],
            priorMean: [0.5, -1, 2], priorStandardDeviation: [1, 2, 0.5], noiseStandardDeviation: [0.3, 0.2, 0.5, 0.1])
        let x: [Double] = [1, -0.5, 2, 0.7]
        let (d, m) = (3, 4)
        let a = problem.matrix
        let s0 = problem.priorStandardDeviation.map { $0 * $0 }
        var c = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0..<m {
                c[i * m + j] = (0..<d).reduce(i == j ? pow(problem.noiseStandardDeviation[i], 2) : 0) {
                    $0 + a[i * d + $1] * s0[$1] * a[j * d + $1]
                }
            }
        }
        let cFactor = try CholeskyFactor(symmetric: c, dimension: m)
        let predicted = try problem.simulate(problem.priorMean)
        let weights = cFactor.solve(zip(x, predicted).map { $0 - $1 })
        let mean = (0..<d).map { k in problem.priorMean[k] + s0[k] * (0..<m).reduce(0) { $0 + a[$1 * d + k] * weights[$1] } }
        let posterior = try problem.posterior(given: x)
        // Both routes are backward stable on matrices with condition number < 100: 1e-12 absolute.
        for k in 0..<d { expectClose(posterior.mean[k], mean[k], absolute: 1e-12) }
        for i in 0..<d {
            for j in 0..<d {
                let column = cFactor.solve((0..<m).map { a[$0 * d + j] * s0[j] })
                let reduction = s0[i] * (0..<m).reduce(0) { $0 + a[$1 * d + i] * column[$1] }
                expectClose(posterior.covariance[i * d + j], (i == j ? s0[i] : 0) - reduction, absolute: 1e-12)
            }
        }
    }

    @Test func bayesRuleHoldsExactlyAtEveryTheta() throws {
        // log p(θ|x) − log p(x|θ) − log p(θ) = −log p(x) for every θ: checks the posterior's normalisation,
        // the likelihood and the evidence against each other.
        var generator = SeededGenerator(seed: 11)
        let (_, x) = try Self.drawJoint(&generator)
        let posterior = try Self.problem.posterior(given: x)
        let logEvidence = try Self.problem.logEvidence(x: x)
        for _ in 0..<20 {
            let theta = (0..<5).map { _ in 2 * generator.uniform() - 1 }
            let identity = posterior.logDensity(theta) - (try Self.problem.logLikelihood(x: x, theta: theta))
                - Self.problem.prior.logDensity(theta: theta)
            // Terms are O(100) in magnitude (σ = 0.1 likelihood); 1e-9 absolute is ~1e-11 relative.
            expectClose(identity, -logEvidence, absolute: 1e-9)
        }
    }

    @Test func posteriorIsCalibratedOverTheJoint() throws {
        // For (θ*, x) from the joint, (θ* − μ(x))ᵀ Σ(x)⁻¹ (θ* − μ(x)) ~ χ²_D: mean D = 5, variance 2D = 10.
        // With n = 4000 the sample mean has standard error √(10/4000) = 0.05; ±0.25 is a 5σ bound. The
        // fraction inside the 90% χ²₅ quantile 9.236 has standard error 0.0047; ±0.025 is 5σ.
        var generator = SeededGenerator(seed: 2024)
        let n = 4000
        var total = 0.0
        var inside = 0
        for _ in 0..<n {
            let (theta, x) = try Self.drawJoint(&generator)
            let posterior = try Self.problem.posterior(given: x)
            let distance = posterior.factor.squaredMahalanobisDistance(theta, from: posterior.mean)
            total += distance
            if distance < 9.236 { inside += 1 }
        }
        expectClose(total / Double(n), 5, absolute: 0.25)
        expectClose(Double(inside) / Double(n), 0.9, absolute: 0.025)
    }

    @Test func gaussianSamplesHaveTheDeclaredMoments() throws {
        // 20 000 draws of a correlated 2-D Gaussian: standard errors ~0.007 for the means and covariances of
        // this scale; 0.05 is a > 5σ bound.
        let gaussian = try MultivariateGaussian(mean: [1, -2], covariance: [1, 0.6, 0.6, 0.5])
        var generator = SeededGenerator(seed: 5)
        var sums = [0.0, 0.0, 0.0, 0.0, 0.0]
        let n = 20_000
        for _ in 0..<n {
            let v = gaussian.sample(uniforms: [generator.uniform(), generator.uniform()])
            sums[0] += v[0]; sums[1] += v[1]
            sums[2] += (v[0] - 1) * (v[0] - 1); sums[3] += (v[0] - 1) * (v[1] + 2); sums[4] += (v[1] + 2) * (v[1] + 2)
        }
        let moments = sums.map { $0 / Double(n) }
        for (got, want) in zip(moments, [1, -2, 1, 0.6, 0.5]) { expectClose(got, want, absolute: 0.05) }
    }

    @Test func badLinearGaussianArgumentsAreNamed() {
        #expect(throws: AnalyticProblemError.nonPositiveScale(name: "noiseStandardDeviation", index: 1, value: 0)) {
            try LinearGaussianProblem(matrix: [1, 1], offset: [0, 0], priorMean: [0], priorStandardDeviation: [1],
                                      noiseStandardDeviation: [1, 0])
        }
        #expect(throws: AnalyticProblemError.self) {
            try LinearGaussianProblem(matrix: [1], offset: [0, 0], priorMean: [0], priorStandardDeviation: [1],
                                      noiseStandardDeviation: [1, 1])
        }
    }

    // MARK: - Two moons

    @Test func twoMoonsSimulatesTheStandardDefinition() throws {
        let problem = TwoMoonsProblem()
        // θ = (0.5, 0.2), a = 0, r = 0.1: x = (0.1 + 0.25 − 0.7/√2, (−0.5 + 0.2)/√2).
        let x = try problem.simulate([0.5, 0.2, 0, 0.1])
        expectClose(x[0], 0.35 - 0.7 / 2.0.squareRoot(), absolute: 1e-15)
        expectClose(x[1], -0.3 / 2.0.squareRoot(), absolute: 1e-15)
        #expect(throws: SimulatorError.self) { try problem.simulate([0, 0, 2, 0.1]) }
        #expect(problem.prior.names == problem.inputNames)
        #expect(problem.parameterPrior.names == ["theta_1", "theta_2"])
    }

    @Test func twoMoonsLikelihoodIsNormalisedAndSymmetric() throws {
        let problem = TwoMoonsProblem()
        let theta = [0.3, -0.6]
        let (m1, m2) = TwoMoonsProblem.shift(theta1: theta[0], theta2: theta[1])
        // Midpoint rule over the half-ring's box, u ∈ [0, 0.2], v ∈ [−0.2, 0.2], cells aligned with the cut at
        // u = 0 and h = 2e-4 (1/50 of the ring's width): the integral is 1 − P(r ≤ 0) − mass beyond the box
        // (both < 1e-20) up to discretisation error ~1e-5; 1e-4 bounds it.
        let h = 2e-4
        var integral = 0.0
        for i in 0..<1000 {
            for j in 0..<2000 {
                let x = [m1 + 0.25 + (Double(i) + 0.5) * h, m2 - 0.2 + (Double(j) + 0.5) * h]
                integral += exp(problem.logLikelihood(x: x, theta: theta)) * h * h
            }
        }
        expectClose(integral, 1, absolute: 1e-4)
        var generator = SeededGenerator(seed: 9)
        for _ in 0..<100 {
            let t = [2 * generator.uniform() - 1, 2 * generator.uniform() - 1]
            let x = try problem.simulate(theta: t, uniforms: [generator.uniform(), generator.uniform()])
            let logL = problem.logLikelihood(x: x, theta: t)
            // A draw lies on its own ring: p ≈ 127 e^{−z²/2} there, so log p > −5 unless |z| > 4.3 (p ≈ 2e-5).
            #expect(logL > -5)
            #expect(logL == problem.logLikelihood(x: x, theta: [-t[1], -t[0]]))
        }
    }
}
