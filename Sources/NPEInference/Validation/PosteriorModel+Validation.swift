import NPEFlows
import NPEModels
import NPERegistry
import NPETensor
import NPESupport

/// The trained flow is an ``AmortizedPosterior``: batched sampling over many observations in one call.
extension NeuralPosteriorEstimator: AmortizedPosterior {
    public var thetaCount: Int { architecture.thetaCount }

    public func sample(x: Tensor, sigma: Tensor?, context: Tensor?, count: Int, stream: RandomStream, workers: Int) throws
        -> (theta: [Float], logProbability: [Float])
    {
        let draws = try sample(given: x, sigma: sigma, observed: observedMask(of: x), context: context, count: count, stream: stream,
                               workers: workers)
        return (draws.theta.scalars, draws.logProbability.scalars)
    }

    public func logProbability(of theta: Tensor, x: Tensor, sigma: Tensor?, context: Tensor?) throws -> [Float] {
        try logProbability(of: theta, given: x, sigma: sigma, observed: observedMask(of: x), context: context).scalars
    }

    /// For a mask-aware estimator, NaN in x marks a missing bin; other estimators get no mask (and refuse NaN).
    func observedMask(of x: Tensor) throws -> Tensor? {
        guard architecture.maskInput else { return nil }
        return try Tensor(shape: x.shape, scalars: x.scalars.map { $0.isNaN ? 0 : 1 })
    }
}

/// The declared training noise is the noise validation draws (epoch 0, the validation seed).
extension TrainingNoise: ObservationNoise {}

extension ValidationModel {
    /// The model of a registry entry: its estimator, training prior, grid, context inputs, training noise, and the
    /// range of x training accepted (`training.configuration.outlier_filter` {lower, upper} on the card, written by
    /// the trainer; absent when training kept every row).
    ///
    /// - Throws: ``ModelCardError/invalidField(field:reason:)`` when that filter is present but malformed.
    public init(_ model: PosteriorModel) throws {
        var range: TrainingInputRange?
        if case let .object(configuration) = model.card.training.configuration, let filter = configuration["outlier_filter"],
           filter != .null {
            let field = "training.configuration.outlier_filter"
            func bounds(_ key: String) throws -> [Float] {
                guard case let .object(object) = filter, case let .array(values)? = object[key] else {
                    throw ModelCardError.invalidField(field: "\(field).\(key)", reason: "missing or not an array")
                }
                return try values.map { value in
                    guard case let .number(number) = value else {
                        throw ModelCardError.invalidField(field: "\(field).\(key)", reason: "not a number: \(value)")
                    }
                    return Float(number)
                }
            }
            let lower = try bounds("lower"), upper = try bounds("upper")
            guard lower.count == model.wavelengths.count, upper.count == model.wavelengths.count else {
                throw ModelCardError.invalidField(field: field, reason: "\(lower.count)/\(upper.count) bounds for \(model.wavelengths.count) bins")
            }
            range = TrainingInputRange(lower: lower, upper: upper)
        }
        self.init(
            posterior: model.estimator, prior: model.prior, parameterNames: model.parameterNames, contextNames: model.contextNames,
            wavelengths: model.wavelengths, noise: model.noise, takesNoiseLevel: model.estimator.architecture.noiseLevelInput,
            reference: "\(model.id.name)@\(model.id.version)", weightsSha256: model.weightsSHA256, trainingRange: range,
            acceptsMissingBins: model.estimator.architecture.maskInput)
    }
}
