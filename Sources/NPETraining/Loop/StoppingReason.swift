/// Why a training run ended, as the console summary says it and the model card records it
/// (`training.configuration.stopping_reason`).
public enum StoppingReason: String, Codable, Sendable, CaseIterable {
    /// `patience` epochs passed without a better validation loss: the run converged (or began to overfit).
    case validationStoppedImproving = "validation_stopped_improving"
    /// The epoch cap was reached while the validation loss was still improving within the patience window.
    case epochBudgetReached = "epoch_budget_reached"
    /// A signal stopped it mid-run (a checkpoint holds its position; such a run is resumed, not published).
    case interrupted

    /// The console wording.
    public var summary: String {
        switch self {
        case .validationStoppedImproving: return "stopped early (validation stopped improving)"
        case .epochBudgetReached: return "epoch budget reached"
        case .interrupted: return "interrupted"
        }
    }
}

extension Trainer.Result {
    /// Why the run ended.
    public var stoppingReason: StoppingReason {
        interrupted ? .interrupted : stoppedEarly ? .validationStoppedImproving : .epochBudgetReached
    }
}
