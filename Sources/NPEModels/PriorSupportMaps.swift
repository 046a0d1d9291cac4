import NPEFlows
import NPESimulators
import NPESupport

/// How the estimator sees each parameter of a prior: θ through the flow's support map, context through a
/// ``ContextTransform``. Both follow the prior's family, so the network works on the scale the values were drawn on.
public enum PriorSupportMaps {
    /// The flow's map for each θ parameter: the prior's own ``SupportBijection`` (one type, NPESupport).
    public static func thetaSupports(of prior: Prior) -> [SupportBijection] {
        prior.thetaBijections
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
