import NPENN
import NPETensor

/// A training objective as a value: how the trainer turns one worker's slice of a batch into a summed loss.
///
/// The loss is the sum over rows (not the mean): each worker's sum is divided by the global batch size, so the
/// all-reduced gradient is the global mean whatever the number of workers. ``MaximumLikelihood`` is the amortised
/// objective; sequential rounds plug in other losses (the atomic APT loss over ``ConditionalDensityModel``s,
/// importance-weighted likelihood) without touching the loop.
public protocol TrainingLoss: Sendable {
    /// Σ over the slice's rows of the per-row loss, recorded for backpropagation.
    func summedLoss(of model: any TrainableModel, on inputs: TrainingInputs) throws -> Variable

    /// What distinguishes this loss in a run's identity, so a checkpoint never resumes under another loss. Empty
    /// for maximum likelihood, which keeps the identities of runs from before losses were values.
    var identity: String { get }
}

/// Maximum likelihood: the model's own summed negative log-likelihood, ``TrainableModel/summedLoss(_:)``. For a
/// posterior estimator that is Σ over the slice of −log q(θ | x̃, σ, context); for θ drawn from the prior,
/// minimising it over the joint p(θ)p(x|θ) makes q(θ|x) the posterior (Papamakarios & Murray 2016).
public struct MaximumLikelihood: TrainingLoss {
    public init() {}

    public var identity: String { "" }

    public func summedLoss(of model: any TrainableModel, on inputs: TrainingInputs) throws -> Variable {
        try model.summedLoss(inputs)
    }
}
