import NPEFlows
import NPETensor

/// The NPE objective as the trainer consumes it: Σ over the slice of −log q(θ | x̃, σ), i.e. the estimator's
/// mean loss times the slice size (see ``TrainableModel`` for why sums, not means), and the per-row log q that
/// other losses (``TrainingLoss``) weigh.
extension NeuralPosteriorEstimator: ConditionalDensityModel {
    public func summedLoss(_ inputs: TrainingInputs) throws -> Variable {
        try loss(theta: inputs.theta, x: inputs.x, sigma: architecture.noiseLevelInput ? inputs.sigma : nil,
                 observed: architecture.maskInput ? inputs.observed : nil, context: architecture.contextCount > 0 ? inputs.context : nil)
            * Float(inputs.theta.rowCount)
    }

    public func recordedLogDensity(_ inputs: TrainingInputs) throws -> Variable {
        try recordedLogProbability(of: inputs.theta, given: inputs.x, sigma: architecture.noiseLevelInput ? inputs.sigma : nil,
                                   context: architecture.contextCount > 0 ? inputs.context : nil)
    }
}
