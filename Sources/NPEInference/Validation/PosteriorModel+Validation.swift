import NPEFlows
import NPEModels
import NPETensor

/// The trained flow is an ``AmortizedPosterior``: batched sampling over many observations in one call.
extension NeuralPosteriorEstimator: AmortizedPosterior {
    public var thetaCount: Int { architecture.thetaCount }

    public func sample(x: Tensor, sigma: Tensor?, context: Tensor?, count: Int, stream: RandomStream, workers: Int) throws
        -> (theta: [Float], logProbability: [Float])
    {
        let draws = try sample(given: x, sigma: sigma, context: context, count: count, stream: stream, workers: workers)
        return (draws.theta.scalars, draws.logProbability.scalars)
    }

    public func logProbability(of theta: Tensor, x: Tensor, sigma: Tensor?, context: Tensor?) throws -> [Float] {
        try logProbability(of: theta, given: x, sigma: sigma, context: context).scalars
    }
}

/// The declared training noise is the noise validation draws (epoch 0, the validation seed).
extension TrainingNoise: ObservationNoise {}

extension ValidationModel {
    /// The model of a registry entry: its estimator, training prior, grid, context inputs and training noise.
    public init(_ model: PosteriorModel) {
        self.init(
            posterior: model.estimator, prior: model.prior, parameterNames: model.parameterNames, contextNames: model.contextNames,
            wavelengths: model.wavelengths, noise: model.noise, takesNoiseLevel: model.estimator.architecture.noiseLevelInput,
            reference: "\(model.id.name)@\(model.id.version)", weightsSha256: model.weightsSHA256)
    }
}
