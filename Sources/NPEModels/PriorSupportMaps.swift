import NPEFlows
import NPESimulators

/// How the estimator sees each parameter of a prior: θ through the flow's support map, context through a
/// ``ContextTransform``. Both follow the prior's family, so the network works on the scale the values were drawn on.
public enum PriorSupportMaps {
    /// The flow's map for each θ parameter, from the prior's own bijection (the two are pinned to agree by
    /// NPEFlowsTests' support-map agreement tests).
    public static func thetaSupports(of prior: Prior) -> [UnconstrainingMap] {
        prior.thetaBijections.map { bijection in
            switch bijection {
            case .identity: return .identity
            case .log: return .log
            case let .logit(low, high): return .logit(low: low, high: high)
            case let .logitOfLog(low, high): return .logitOfLog(low: low, high: high)
            }
        }
    }

    /// `log` for context drawn from log-uniform or log-normal priors, `identity` otherwise.
    public static func contextTransforms(of prior: Prior) -> [ContextTransform] {
        prior.contextIndices.map { index in
            switch prior.parameters[index].distribution {
            case .logUniform, .logNormal: return .log
            default: return .identity
            }
        }
    }
}
