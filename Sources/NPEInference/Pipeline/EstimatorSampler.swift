import NPEFlows
import NPETensor
import NPESupport

/// An `npe-flow` model (``NeuralPosteriorEstimator``) as a ``PosteriorSampler``: one call per target draws all
/// S samples, chunked over `workers` threads by the flow (results independent of `workers`).
public struct EstimatorSampler: PosteriorSampler {
    public let estimator: NeuralPosteriorEstimator
    public let parameterNames: [String]

    public init(estimator: NeuralPosteriorEstimator, parameterNames: [String]) {
        self.estimator = estimator
        self.parameterNames = parameterNames
    }

    /// Whether the network reads σ beside x.
    public var readsSigma: Bool { estimator.architecture.noiseLevelInput }

    /// A mask-aware estimator (trained with mask augmentation) reads NaN bins of x as missing.
    public var acceptsMissingBins: Bool { estimator.architecture.maskInput }

    public func sample(x: [Float], sigma: [Float]?, context: [Float], count: Int, stream: RandomStream, workers: Int) throws
        -> (theta: [Float], logProposal: [Float])
    {
        let m = x.count
        // NaN marks a missing bin; only a mask-aware estimator gets a mask (the screening refused the rest).
        let observed: Tensor? = try acceptsMissingBins ? Tensor(shape: [1, m], scalars: x.map { $0.isNaN ? 0 : 1 }) : nil
        let (theta, logq) = try estimator.sample(
            given: try Tensor(shape: [1, m], scalars: x), sigma: try sigma.map { try Tensor(shape: [1, m], scalars: $0) },
            observed: observed,
            context: context.isEmpty ? nil : try Tensor(shape: [1, context.count], scalars: context),
            count: count, stream: stream, workers: workers)
        return (theta.scalars, logq.scalars)
    }
}
