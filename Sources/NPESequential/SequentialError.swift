/// Why a target's refinement stopped. Each case names the target (and round) so a catalogue run can flag that
/// target and go on with the others.
public enum SequentialError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No rounds or no simulations: nothing could be refined.
    case zeroBudget(String)
    case invalidSetting(String)
    /// The HPD region of the current posterior holds no prior mass the rejection sampler could find.
    case truncationKeepsNoPriorMass(target: String, round: Int, drawn: Int, accepted: Int, threshold: Double)
    /// Fewer prior draws fell in the HPD region than the round needs, within the time or draw bound.
    case truncationTimedOut(target: String, round: Int, drawn: Int, accepted: Int, needed: Int, seconds: Double)
    /// Every simulation of a round failed (NaN, infinity or a refused θ).
    case allSimulationsFailed(target: String, round: Int, rows: Int, firstError: String?)
    /// The target's observation cannot be refined as given (file, row and field in the message).
    case invalidTarget(target: String, reason: String)
    /// The atomic loss needs a finite prior density at every atom, and a density model.
    case atomicLoss(String)
    /// A resumed run's directory belongs to another run, or a round's files are damaged.
    case resumeMismatch(path: String, reason: String)
    /// The run was asked to stop (Ctrl-C, SIGTERM); everything finished is on disk for --resume.
    case interrupted(String)

    public var description: String {
        switch self {
        case let .zeroBudget(reason): return "zero simulation budget: \(reason)"
        case let .invalidSetting(reason): return "invalid refinement setting: \(reason)"
        case let .truncationKeepsNoPriorMass(target, round, drawn, accepted, threshold):
            return "target \(target), round \(round): the posterior's HPD region (log q > \(threshold)) keeps no prior mass: "
                + "\(accepted) of \(drawn) prior draws accepted"
        case let .truncationTimedOut(target, round, drawn, accepted, needed, seconds):
            return "target \(target), round \(round): rejection from the truncated prior accepted \(accepted) of \(drawn) draws "
                + "in \(String(format: "%.1f", seconds)) s, short of the \(needed) needed"
        case let .allSimulationsFailed(target, round, rows, firstError):
            return "target \(target), round \(round): all \(rows) simulations failed" + (firstError.map { " (first: \($0))" } ?? "")
        case let .invalidTarget(target, reason): return "target \(target): \(reason)"
        case let .atomicLoss(reason): return "atomic APT loss: \(reason)"
        case let .resumeMismatch(path, reason): return "\(path): cannot resume: \(reason)"
        case let .interrupted(reason): return "interrupted: \(reason)"
        }
    }
}
