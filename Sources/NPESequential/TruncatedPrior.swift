import Foundation
import NPESimulators

/// The prior restricted to the highest-density region of a posterior estimate, TSNPE's proposal:
///
///   π̃(θ) ∝ π(θ) · 1[log q(θ|xₒ) > τ],   τ = the ε-quantile of log q(θ|xₒ) over draws θ ~ q,
///
/// so the region holds 1 − ε of q's mass (ε = 1e-4 in Deistler et al. 2022 and sbi). It is sampled by rejection
/// from the prior: a draw is kept when q puts it inside the region. Inside the region π̃ = π / P_π(region), so
/// log π̃ = log π − log(acceptance rate), which is what importance weights divide by.
public struct TruncatedPrior {
    public let problem: RefinementProblem
    public let posterior: any PosteriorDensity
    /// τ.
    public let threshold: Double

    /// Estimates τ from `samples` draws of `posterior` (seeded by `seed`): the value at index ⌊ε·samples⌋ of
    /// their sorted log densities.
    public init(problem: RefinementProblem, posterior: any PosteriorDensity, quantile: Double, samples: Int, seed: UInt64) throws {
        self.problem = problem
        self.posterior = posterior
        let logq = try posterior.sample(count: samples, seed: seed).logDensity.filter { !$0.isNaN }.sorted()
        guard !logq.isEmpty else { throw SequentialError.invalidSetting("no finite log q among \(samples) posterior draws") }
        threshold = logq[min(Int((quantile * Double(logq.count)).rounded(.down)), logq.count - 1)]
    }

    /// What the rejection sampler gives: K values per accepted row, the log proposal density of each (log π −
    /// log acceptance), and the bookkeeping of the records.
    public struct Draws {
        public var theta: [Double]
        public var logProposal: [Double]
        public var drawn: Int
        public var acceptance: Double
    }

    /// Draws `count` rows by rejection from the prior, in blocks of 10,000 prior rows (block b holds rows
    /// b·10⁴ … of the prior stream of `seed`, so the result does not depend on timing unless the bound is hit).
    ///
    /// - Throws: ``SequentialError/truncationKeepsNoPriorMass(target:round:drawn:accepted:threshold:)`` when no
    ///   draw was accepted, ``SequentialError/truncationTimedOut(target:round:drawn:accepted:needed:seconds:)``
    ///   when some were but too few, within `timeLimit` seconds or `maximumDraws` draws.
    public func sample(count: Int, seed: UInt64, timeLimit: Double, maximumDraws: Int, target: String, round: Int) throws -> Draws {
        let prior = problem.thetaPrior, k = problem.thetaCount, block = 10_000
        let start = Date()
        var accepted = [Double](), drawn = 0, inside = 0
        accepted.reserveCapacity(count * k)
        while accepted.count < count * k {
            let seconds = Date().timeIntervalSince(start)
            if drawn >= maximumDraws || seconds > timeLimit {
                let got = accepted.count / k
                if got == 0 {
                    throw SequentialError.truncationKeepsNoPriorMass(target: target, round: round, drawn: drawn, accepted: 0, threshold: threshold)
                }
                throw SequentialError.truncationTimedOut(target: target, round: round, drawn: drawn, accepted: got, needed: count, seconds: seconds)
            }
            let rows = min(block, maximumDraws - drawn)
            var values = [Double](repeating: 0, count: rows * k)
            values.withUnsafeMutableBufferPointer { prior.draw(rows: drawn ..< drawn + rows, seed: seed, into: $0) }
            let logq = try posterior.logDensity(of: values)
            for r in 0..<rows where logq[r] > threshold {
                inside += 1
                if accepted.count < count * k { accepted += values[r * k ..< (r + 1) * k] }
            }
            drawn += rows
        }
        // The acceptance rate over every scanned prior draw estimates P_π(region); it only shifts log π̃ by a
        // constant, which self-normalised weights ignore.
        let acceptance = Double(inside) / Double(drawn)
        let logProposal = (0..<count).map { problem.logPrior(accepted[$0 * k ..< ($0 + 1) * k]) - log(acceptance) }
        return Draws(theta: accepted, logProposal: logProposal, drawn: drawn, acceptance: acceptance)
    }
}
