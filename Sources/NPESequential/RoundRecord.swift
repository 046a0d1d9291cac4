import Foundation

/// What one round of one target did, logged to the console and stored in the round's directory and the output.
public struct RoundRecord: Codable, Sendable, Equatable {
    public var target: String
    public var round: Int
    public var method: SequentialMethod
    /// "prior", "truncated-prior", "posterior" or "initial" (the round-0 proposal given from outside).
    public var proposal: String
    public var simulations: Int
    /// Rows whose simulation failed (kept in the round file, flagged, never trained on).
    public var invalidSimulations: Int
    /// The fraction of the proposal's draws that fell outside the prior (redrawn); 0 with bounded supports.
    public var outsidePriorFraction: Double
    /// The Kish ESS (Σw)²/Σw² of this round's N draws weighed against the exact posterior, w = p(xₒ|θ)π(θ)/p̃(θ)
    /// with p̃ the round's proposal, and ESS/N; nil without a likelihood.
    public var effectiveSampleSize: Double?
    public var efficiency: Double?
    /// The largest marginal KS distance between the posterior after this round's training and before it; nil
    /// when the round did not train.
    public var change: Double?
    /// TSNPE: the fraction of prior draws inside the HPD region.
    public var truncationAcceptance: Double?
    /// Whether this round trained the model, and the best validation loss.
    public var trained: Bool
    public var validationLoss: Double?
    public var seconds: Double

    /// One console line.
    public var line: String {
        var parts = ["\(target) round \(round) [\(method.rawValue), \(proposal)]: \(simulations) sims, \(invalidSimulations) invalid"]
        if let effectiveSampleSize, let efficiency {
            parts.append(String(format: "ESS %.1f (%.2f%%)", effectiveSampleSize, 100 * efficiency))
        }
        if let change { parts.append(String(format: "KS change %.3f", change)) }
        if let truncationAcceptance { parts.append(String(format: "HPD acceptance %.3g", truncationAcceptance)) }
        if outsidePriorFraction > 0 { parts.append(String(format: "outside prior %.3g", outsidePriorFraction)) }
        parts.append(String(format: "%.1f s", seconds))
        return parts.joined(separator: ", ")
    }
}
