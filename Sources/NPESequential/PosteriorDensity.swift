import NPEFlows
import NPESimulators
import NPESupport
import NPETensor

/// A normalised density over the K inferred parameters that can be sampled: the current posterior estimate
/// q(θ | xₒ) of a round, or a round-0 proposal given from outside.
public protocol PosteriorDensity {
    /// K.
    var thetaCount: Int { get }
    /// `count` draws, row-major `[count, K]`, and their log densities; a pure function of (`count`, `seed`).
    func sample(count: Int, seed: UInt64) throws -> (theta: [Double], logDensity: [Double])
    /// log q of `theta` (row-major, K per row); −∞ outside the support.
    func logDensity(of theta: [Double]) throws -> [Double]
}

/// q(θ | xₒ) of a trained ``NeuralPosteriorEstimator`` at one target's observation (σ and context included when
/// the architecture takes them).
public struct EstimatorPosterior: PosteriorDensity {
    public let estimator: NeuralPosteriorEstimator
    let x: Tensor
    let sigma: Tensor?
    let context: Tensor?
    /// Threads that share the sample grid.
    public var workers: Int

    public init(estimator: NeuralPosteriorEstimator, target: RefinementTarget, workers: Int = 1) throws {
        let m = target.x.count
        guard estimator.architecture.xCount == m else {
            throw SequentialError.invalidTarget(target: target.id, reason: "x has \(m) bins; the model reads \(estimator.architecture.xCount)")
        }
        self.estimator = estimator
        x = try Tensor(shape: [1, m], scalars: target.x.map(Float.init))
        if estimator.architecture.noiseLevelInput {
            guard let sigma = target.sigma else {
                throw SequentialError.invalidTarget(target: target.id, reason: "the model reads σ, and the target has none")
            }
            self.sigma = try Tensor(shape: [1, m], scalars: sigma.map(Float.init))
        } else {
            sigma = nil
        }
        let a = estimator.architecture.contextCount
        guard target.context.count == a else {
            throw SequentialError.invalidTarget(target: target.id, reason: "\(target.context.count) context values; the model reads \(a)")
        }
        context = a > 0 ? try Tensor(shape: [1, a], scalars: target.context.map(Float.init)) : nil
        self.workers = workers
    }

    public var thetaCount: Int { estimator.architecture.thetaCount }

    public func sample(count: Int, seed: UInt64) throws -> (theta: [Double], logDensity: [Double]) {
        let (theta, logq) = try estimator.sample(given: x, sigma: sigma, context: context, count: count,
                                                 stream: RandomStream(seed: seed), workers: workers)
        return (theta.scalars.map(Double.init), logq.scalars.map(Double.init))
    }

    /// Evaluated in blocks of 8,192 rows, so 10⁵ threshold draws never hold one huge activation.
    public func logDensity(of theta: [Double]) throws -> [Double] {
        let k = thetaCount, n = theta.count / k, block = 8192
        var result = [Double]()
        result.reserveCapacity(n)
        var start = 0
        while start < n {
            let end = min(start + block, n)
            let rows = try Tensor(shape: [end - start, k], scalars: theta[start * k ..< end * k].map(Float.init))
            result += try estimator.logProbability(of: rows, given: x, sigma: sigma, context: context).scalars.map(Double.init)
            start = end
        }
        return result
    }
}

/// A fixed multivariate normal as a proposal: an analytic stand-in for q in tests (its efficiency against a
/// Gaussian posterior is known in closed form) or a deliberately wrong round-0 proposal.
public struct GaussianPosterior: PosteriorDensity {
    public let gaussian: MultivariateGaussian

    public init(_ gaussian: MultivariateGaussian) { self.gaussian = gaussian }

    public var thetaCount: Int { gaussian.dimension }

    /// Draw s uses uniforms (s·K … s·K + K − 1) of `RandomStream(seed:)`.
    public func sample(count: Int, seed: UInt64) throws -> (theta: [Double], logDensity: [Double]) {
        let k = thetaCount, stream = RandomStream(seed: seed)
        var theta = [Double](), logDensity = [Double]()
        theta.reserveCapacity(count * k)
        for s in 0..<count {
            let draw = gaussian.sample(uniforms: (0..<k).map { stream.uniformDouble(UInt64(s * k + $0)) })
            theta += draw
            logDensity.append(gaussian.logDensity(draw))
        }
        return (theta, logDensity)
    }

    public func logDensity(of theta: [Double]) throws -> [Double] {
        let k = thetaCount
        return (0..<theta.count / k).map { gaussian.logDensity(Array(theta[$0 * k ..< ($0 + 1) * k])) }
    }
}
