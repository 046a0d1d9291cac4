import NPEFlows
import NPESimulators

// NPEFlows does not depend on the simulators, so the trainer maps a prior's descriptions onto the flow's.

extension UnconstrainingMap {
    /// The flow's support map of a prior's unconstrained bijection (the same four cases, case by case).
    init(_ bijection: UnconstrainedBijection) {
        switch bijection {
        case .identity: self = .identity
        case .log: self = .log
        case let .logit(low, high): self = .logit(low: low, high: high)
        case let .logitOfLog(low, high): self = .logitOfLog(low: low, high: high)
        }
    }
}

extension ContextTransform {
    /// `log` for context inputs whose prior lives on a log scale (log-uniform, log-normal), so the network sees
    /// them spread evenly; `identity` otherwise.
    init(_ distribution: PriorDistribution) {
        switch distribution {
        case .logUniform, .logNormal: self = .log
        case .uniform, .normal, .fixed: self = .identity
        }
    }
}
