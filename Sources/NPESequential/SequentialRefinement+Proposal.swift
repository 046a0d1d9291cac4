import Foundation
import NPESimulators

extension SequentialRefinement {
    /// One round's draws of the K parameters and the log density of the distribution they came from.
    struct Proposal {
        var theta: [Double]
        var logProposal: [Double]
        var kind: String
        var outsideFraction: Double
        var acceptance: Double?
    }

    /// Round r's proposal: the prior without a current q; for TSNPE the prior truncated to q's HPD region; for
    /// APT and SNPE-IS q itself, redrawing the draws that fall outside the prior (counted in the record).
    func propose(from current: (any PosteriorDensity)?, round r: Int, count n: Int) throws -> Proposal {
        let k = problem.thetaCount
        guard let current else {
            var theta = [Double](repeating: 0, count: n * k)
            theta.withUnsafeMutableBufferPointer { problem.thetaPrior.draw(rows: 0 ..< n, seed: seed(round: r, purpose: 1), into: $0) }
            let logPrior = (0..<n).map { problem.logPrior(theta[$0 * k ..< ($0 + 1) * k]) }
            return Proposal(theta: theta, logProposal: logPrior, kind: "prior", outsideFraction: 0, acceptance: nil)
        }
        let kind = r == 0 && initialProposal != nil ? "initial" : "posterior"
        if settings.method == .tsnpe {
            let truncated = try TruncatedPrior(problem: problem, posterior: current, quantile: settings.truncationQuantile,
                                               samples: settings.truncationSamples, seed: seed(round: r, purpose: 5))
            let draws = try truncated.sample(count: n, seed: seed(round: r, purpose: 1), timeLimit: settings.truncationTimeLimit,
                                             maximumDraws: settings.truncationMaximumPriorDraws, target: target.id, round: r)
            return Proposal(theta: draws.theta, logProposal: draws.logProposal, kind: "truncated-prior", outsideFraction: 0,
                            acceptance: draws.acceptance)
        }
        // q restricted to the prior's support: draws outside are redrawn (sbi's leakage rejection), in batches of
        // N with fresh seeds, at most 100 batches before the leak counts as no prior mass.
        var theta = [Double](), logq = [Double](), drawn = 0, outside = 0, batch: UInt64 = 0
        while logq.count < n {
            guard batch < 100 else {
                throw SequentialError.truncationKeepsNoPriorMass(target: target.id, round: r, drawn: drawn, accepted: logq.count, threshold: -.infinity)
            }
            let draws = try current.sample(count: n, seed: seed(round: r, purpose: 1) &+ batch)
            for i in 0..<n where logq.count < n {
                let row = draws.theta[i * k ..< (i + 1) * k]
                drawn += 1
                guard problem.logPrior(row).isFinite, draws.logDensity[i].isFinite else { outside += 1; continue }
                theta += row
                logq.append(draws.logDensity[i])
            }
            batch += 1
        }
        // Redrawing renormalises q to the prior's support; the constant log(inside fraction) cancels in
        // self-normalised weights, so log q is recorded as is.
        return Proposal(theta: theta, logProposal: logq, kind: kind, outsideFraction: Double(outside) / Double(drawn), acceptance: nil)
    }
}
