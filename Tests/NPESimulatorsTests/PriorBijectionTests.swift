import Foundation
import NPETestSupport
import Testing
@testable import NPESimulators
import NPESupport

@Suite("Unconstrained bijections")
struct PriorBijectionTests {
    static let cases: [(PriorDistribution, SupportBijection)] = [
        (.uniform(low: -12, high: -1), .logit(low: -12, high: -1)),
        (.logUniform(low: 0.05, high: 10), .logitOfLog(low: 0.05, high: 10)),
        (.normal(mean: 0, standardDeviation: 2), .identity),
        (.logNormal(mu: 1, sigma: 0.5), .log),
    ]

    @Test func eachFamilyGetsItsNaturalBijection() {
        for (distribution, bijection) in Self.cases {
            #expect(distribution.unconstrainedBijection == bijection)
        }
    }

    @Test(arguments: cases.map(\.0))
    func roundTripsAndLogDeterminantsMatchFiniteDifferences(distribution: PriorDistribution) {
        let bijection = distribution.unconstrainedBijection
        for u in [0.01, 0.1, 0.37, 0.5, 0.8, 0.99] {
            let x = distribution.quantile(u)
            let z = bijection.forward(x)
            // Round trip: forward then inverse loses only a few ulps of conditioning, 1e-12 relative.
            expectClose(bijection.inverse(z), x, absolute: 1e-300, relative: 1e-12, "u = \(u)")
            // d z / d x by central differences (step 1e-6 of the local scale: error ~1e-12 truncation,
            // ~1e-10 rounding relative), against the analytic log|dT/dx|: 1e-6 relative on the derivative.
            let h = 1e-6 * max(abs(x), 1e-3) * min(u, 1 - u)
            let slope = (bijection.forward(x + h) - bijection.forward(x - h)) / (2 * h)
            expectClose(bijection.logAbsDetJacobian(at: x), log(abs(slope)), absolute: 1e-6, "u = \(u)")
            // The inverse's log-det, computed from z directly, is the negative of the forward one.
            expectClose(bijection.inverseLogAbsDetJacobian(at: z), -bijection.logAbsDetJacobian(at: x),
                        absolute: 1e-10, relative: 1e-12)
        }
    }

    @Test func inverseStaysInsideTheBoxFarOut() {
        let bijection = SupportBijection.logit(low: 0.1, high: 3)
        for z in [-800.0, -40, 40, 800] {
            let x = bijection.inverse(z)
            #expect(x >= 0.1 && x <= 3)
            #expect(bijection.inverseLogAbsDetJacobian(at: z).isFinite)
        }
        let logBox = SupportBijection.logitOfLog(low: 0.05, high: 10)
        #expect(logBox.inverse(-800) >= 0.05 && logBox.inverse(800) <= 10)
    }
}
