import Foundation
import NPETestSupport
import Testing
@testable import NPESimulators

@Suite("Prior distributions")
struct PriorDistributionTests {
    /// Reference Φ⁻¹(p) from Python's statistics.NormalDist.inv_cdf (Wichura AS241, ~1e-16 relative).
    static let normalQuantiles: [(p: Double, x: Double)] = [
        (1e-300, -37.0470962993612), (1e-100, -21.27345356096532), (1e-20, -9.262340089798405),
        (1e-10, -6.361340902404056), (1e-05, -4.2648907939228256), (0.001, -3.090232306167813),
        (0.02425, -1.9729610513118845), (0.025, -1.9599639845400538), (0.1, -1.2815515655446008),
        (0.3, -0.5244005127080407), (0.5, 0), (0.6, 0.2533471031357998), (0.8, 0.8416212335729144),
        (0.97575, 1.9729610513118847), (0.975, 1.9599639845400536), (0.999, 3.090232306167813),
        (1 - 1e-10, 6.361340889697421), (1 - 0x1p-53, 8.209536151601386),
    ]

    @Test func inverseNormalMatchesReferenceValues() {
        for (p, x) in Self.normalQuantiles {
            // After the Halley step the error is a few ulps; 1e-12 relative (+1e-15 absolute at 0) leaves room
            // for erfc's own error while being 1000x tighter than the 1e-9 requirement.
            expectClose(StandardNormal.quantile(p), x, absolute: 1e-15, relative: 1e-12, "p = \(p)")
            // Acklam's raw approximation is documented at < 1.15e-9 relative: this checks the coefficients.
            expectClose(StandardNormal.acklamQuantile(p), x, absolute: 1e-15, relative: 1.2e-9, "raw p = \(p)")
        }
    }

    @Test func inverseNormalInvertsTheCDF() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<1000 {
            let p = generator.uniform()
            // Φ(Φ⁻¹(p)) = p up to Φ's conditioning: 1e-14 relative.
            expectClose(StandardNormal.cdf(StandardNormal.quantile(p)), p, relative: 1e-13)
        }
    }

    @Test func inverseNormalStaysFiniteOutsideTheOpenInterval() {
        #expect(StandardNormal.quantile(0).isFinite)
        #expect(StandardNormal.quantile(1).isFinite)
        #expect(StandardNormal.quantile(-3) == StandardNormal.quantile(0))
        #expect(StandardNormal.quantile(.nan).isNaN)
    }

    static let families: [PriorDistribution] = [
        .uniform(low: -12, high: -1), .logUniform(low: 0.05, high: 10), .normal(mean: 1.5, standardDeviation: 0.3),
        .logNormal(mu: -0.5, sigma: 0.8),
    ]

    @Test(arguments: families)
    func quantileIsTheInverseOfTheCDF(distribution: PriorDistribution) {
        for u in stride(from: 0.001, to: 1, by: 0.0371) {
            expectClose(distribution.cdf(distribution.quantile(u)), u, relative: 1e-12)
        }
    }

    @Test(arguments: families)
    func densityIntegratesToOneAndMatchesTheCDFSlope(distribution: PriorDistribution) {
        // The derivative of the CDF by central differences at interior quantiles; step h ~ 1e-5 scale gives
        // truncation ~h² ≈ 1e-10 and rounding ~1e-16/h ≈ 1e-11, so 1e-6 relative is safe.
        for u in [0.05, 0.2, 0.5, 0.7, 0.93] {
            let x = distribution.quantile(u)
            let h = 1e-5 * max(abs(x), 1e-3)
            let slope = (distribution.cdf(x + h) - distribution.cdf(x - h)) / (2 * h)
            expectClose(exp(distribution.logDensity(x)), slope, relative: 1e-6, "u = \(u)")
        }
    }

    @Test func densitiesHaveTheDocumentedValues() {
        expectClose(PriorDistribution.uniform(low: -12, high: -1).logDensity(-5), -log(11.0), relative: 1e-15)
        let logUniform = PriorDistribution.logUniform(low: 0.1, high: 10)
        expectClose(logUniform.logDensity(2), -log(2.0) - log(log(100.0)), relative: 1e-15)
        expectClose(
            PriorDistribution.normal(mean: 1, standardDeviation: 2).logDensity(2),
            -0.125 - log(2.0) - 0.5 * log(2 * Double.pi), relative: 1e-15)
        expectClose(
            PriorDistribution.logNormal(mu: 0, sigma: 1).logDensity(M_E),
            -0.5 - 0.5 * log(2 * Double.pi) - 1, relative: 1e-15)
    }

    @Test func densityIsMinusInfinityOutsideTheSupport() {
        #expect(PriorDistribution.uniform(low: 0, high: 1).logDensity(1) == -.infinity)
        #expect(PriorDistribution.uniform(low: 0, high: 1).logDensity(-0.1) == -.infinity)
        #expect(PriorDistribution.logUniform(low: 1, high: 2).logDensity(2.5) == -.infinity)
        #expect(PriorDistribution.logNormal(mu: 0, sigma: 1).logDensity(0) == -.infinity)
        #expect(PriorDistribution.logNormal(mu: 0, sigma: 1).logDensity(-1) == -.infinity)
        #expect(PriorDistribution.normal(mean: 0, standardDeviation: 1).logDensity(.nan) == -.infinity)
        #expect(PriorDistribution.fixed(3).logDensity(3) == 0)
        #expect(PriorDistribution.fixed(3).logDensity(3.1) == -.infinity)
    }

    @Test func supportsAreTheDocumentedIntervals() {
        #expect(PriorDistribution.uniform(low: 0.1, high: 3).support == 0.1...3)
        #expect(PriorDistribution.logUniform(low: 0.1, high: 3).support == 0.1...3)
        #expect(PriorDistribution.normal(mean: 0, standardDeviation: 1).support == -.infinity...Double.infinity)
        #expect(PriorDistribution.logNormal(mu: 0, sigma: 1).support == 0...Double.infinity)
        #expect(PriorDistribution.fixed(2).support == 2...2)
    }

    @Test func boundedQuantilesStayInsideTheOpenBox() {
        // The extreme uniforms a 53-bit generator can produce, plus out-of-range inputs that get clamped.
        let extremes = [0, 0x1p-53, 0x1p-60, Double.leastNormalMagnitude, 1 - 0x1p-53, 1, 0.5, -1, 2]
        for distribution in [PriorDistribution.uniform(low: -12, high: -1), .uniform(low: 0, high: 1e-300),
                             .logUniform(low: 1e-8, high: 1), .uniform(low: 1e8, high: 1e8 + 1)] {
            let box = distribution.support
            for u in extremes {
                let x = distribution.quantile(u)
                #expect(x > box.lowerBound && x < box.upperBound, "\(distribution) u=\(u) gave \(x)")
                #expect(distribution.logDensity(x).isFinite)
                #expect(distribution.unconstrainedBijection.forward(x).isFinite)
            }
        }
    }

    @Test func fixedIgnoresItsUniform() {
        #expect(PriorDistribution.fixed(4.2).quantile(0.9) == 4.2)
        #expect(PriorDistribution.fixed(4.2).isFixed)
    }

    @Test func distributionsRoundTripThroughJSONInTheFileForm() throws {
        for distribution in Self.families + [.fixed(1.25)] {
            let data = try JSONEncoder().encode(distribution)
            #expect(try JSONDecoder().decode(PriorDistribution.self, from: data) == distribution)
        }
        let json = String(decoding: try JSONEncoder().encode(PriorDistribution.logUniform(low: 1, high: 2)),
                          as: UTF8.self)
        #expect(json == #"{"log_uniform":[1,2]}"#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(PriorDistribution.self, from: Data(#"{"uniform":[2,1]}"#.utf8))
        }
    }
}

@Suite("Prior moments")
struct PriorMomentTests {
    @Test(arguments: PriorDistributionTests.families)
    func meanAndVarianceMatchQuadratureOverTheQuantile(distribution: PriorDistribution) {
        // E[g(x)] = ∫₀¹ g(Q(u)) du by the midpoint rule with n = 200 000: the error is dominated by the
        // tails beyond u = 1/(2n) (z ≈ 4.6). For the mean that is < 1e-4 relative. For the log-normal's x²
        // the weight e^{2σz} shifts the Gaussian by 2σ = 1.6, leaving ~1e-3 of E[x²] beyond the last node,
        // hence 2e-3 on the variance (a wrong formula, e.g. σ² for e^{σ²} − 1, is off by 30%).
        let n = 200_000
        var sum = 0.0, sumSquares = 0.0
        for k in 0..<n {
            let x = distribution.quantile((Double(k) + 0.5) / Double(n))
            sum += x
            sumSquares += x * x
        }
        let mean = sum / Double(n)
        expectClose(mean, distribution.mean, absolute: 1e-9, relative: 1e-4)
        expectClose(sumSquares / Double(n) - mean * mean, distribution.variance, relative: 2e-3)
    }
}
