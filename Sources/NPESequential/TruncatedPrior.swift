import Foundation
import NPESimulators
import NPESupport

/// The prior restricted to the highest-density region of a posterior estimate, TSNPE's proposal:
///
///   π̃(θ) ∝ π(θ) · 1[log q(θ|xₒ) > τ],   τ = the ε-quantile of log q(θ|xₒ) over draws θ ~ q,
///
/// so the region holds 1 − ε of q's mass (ε = 1e-4 in Deistler et al. 2022 and sbi). It is sampled by rejection:
/// a prior draw is kept when q puts it inside the region.
///
/// Plain rejection from the prior (sbi's `sample_with="rejection"`) accepts P_π(region) of its draws, about 10⁻⁶
/// for a 5-parameter posterior 20× narrower than its prior, which makes later rounds hopeless. The draws here
/// come instead from the prior restricted to a box B around the region: per parameter, the range of the q draws
/// inside the region, widened by half its width on each side and clipped to the support. The priors are
/// independent, so π restricted to B is drawn exactly by inverse CDF from [F(lo), F(hi)], and rejection by the
/// HPD indicator then gives π restricted to region ∩ B, which is the truncated prior whenever B covers the
/// region (a region point beyond the widened range of 10⁵ of q's draws would need q to put almost no mass
/// there, which the ε-quantile excludes). Inside the region π̃ = π / (P_π(B) · P(region | B)), so
/// log π̃ = log π − log P_π(B) − log(acceptance), what importance weights divide by.
public struct TruncatedPrior {
    public let problem: RefinementProblem
    public let posterior: any PosteriorDensity
    /// τ.
    public let threshold: Double
    /// The box B: per parameter, the prior CDF at its bounds (the draws use u ∈ [F(lo), F(hi)]).
    public let boxCDF: [ClosedRange<Double>]

    /// Estimates τ from `samples` draws of `posterior` (seeded by `seed`): the value at index ⌊ε·samples⌋ of
    /// their sorted log densities.
    public init(problem: RefinementProblem, posterior: any PosteriorDensity, quantile: Double, samples: Int, seed: UInt64) throws {
        self.problem = problem
        self.posterior = posterior
        let draws = try posterior.sample(count: samples, seed: seed)
        let logq = draws.logDensity.filter { !$0.isNaN }.sorted()
        guard !logq.isEmpty else { throw SequentialError.invalidSetting("no finite log q among \(samples) posterior draws") }
        let threshold = logq[min(Int((quantile * Double(logq.count)).rounded(.down)), logq.count - 1)]
        self.threshold = threshold
        let k = problem.thetaCount
        let inside = draws.logDensity.indices.filter { draws.logDensity[$0] >= threshold }
        boxCDF = (0..<k).map { j in
            let values = inside.map { draws.theta[$0 * k + j] }
            let low = values.min() ?? 0, high = values.max() ?? 0, margin = 0.5 * (high - low)
            let distribution = problem.thetaPrior.parameters[j].distribution
            return distribution.cdf(low - margin) ... distribution.cdf(high + margin)
        }
    }

    /// P_π(B), the prior mass of the box.
    public var boxMass: Double { boxCDF.reduce(1) { $0 * ($1.upperBound - $1.lowerBound) } }

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
        let mass = boxMass
        guard mass > 0 else {
            throw SequentialError.truncationKeepsNoPriorMass(target: target, round: round, drawn: 0, accepted: 0, threshold: threshold)
        }
        let root = RandomStream(seed: seed)
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
            // Row i: uniforms 0…K−1 of child stream i, mapped into [F(lo), F(hi)] and through the inverse CDFs.
            var values = [Double](repeating: 0, count: rows * k)
            for r in 0..<rows {
                let stream = root.child(UInt64(drawn + r))
                for j in 0..<k {
                    let u = boxCDF[j].lowerBound + stream.uniformDouble(UInt64(j)) * (boxCDF[j].upperBound - boxCDF[j].lowerBound)
                    values[r * k + j] = prior.parameters[j].distribution.quantile(min(max(u, Double.leastNonzeroMagnitude), 1 - 0x1p-53))
                }
            }
            let logq = try posterior.logDensity(of: values)
            for r in 0..<rows where logq[r] > threshold {
                inside += 1
                if accepted.count < count * k { accepted += values[r * k ..< (r + 1) * k] }
            }
            drawn += rows
        }
        // The acceptance rate over every scanned draw estimates P(region | B); with P_π(B) it normalises π̃ (a
        // constant that self-normalised weights ignore, but that keeps log π̃ a density).
        let acceptance = Double(inside) / Double(drawn)
        let logProposal = (0..<count).map { problem.logPrior(accepted[$0 * k ..< ($0 + 1) * k]) - log(mass) - log(acceptance) }
        return Draws(theta: accepted, logProposal: logProposal, drawn: drawn, acceptance: acceptance * mass)
    }
}
