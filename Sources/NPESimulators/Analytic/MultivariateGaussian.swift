import Foundation

/// N(mean, covariance) in D dimensions: the exact posterior of ``LinearGaussianProblem``.
public struct MultivariateGaussian: Sendable, Equatable {
    /// μ, D values.
    public let mean: [Double]
    /// Σ, row-major D × D.
    public let covariance: [Double]
    /// The Cholesky factor of Σ.
    public let factor: CholeskyFactor

    /// - Throws: ``AnalyticProblemError`` when Σ is not D × D or not positive definite.
    public init(mean: [Double], covariance: [Double]) throws {
        guard covariance.count == mean.count * mean.count else {
            throw AnalyticProblemError.shapeMismatch("covariance needs \(mean.count)² values")
        }
        self.mean = mean
        self.covariance = covariance
        factor = try CholeskyFactor(symmetric: covariance, dimension: mean.count)
    }

    /// D.
    public var dimension: Int { mean.count }

    /// Marginal standard deviations √Σ_dd.
    public var standardDeviations: [Double] { (0..<dimension).map { covariance[$0 * dimension + $0].squareRoot() } }

    /// log N(v; μ, Σ) = −½ (v − μ)ᵀ Σ⁻¹ (v − μ) − ½ log det Σ − (D/2) log 2π.
    public func logDensity(_ v: [Double]) -> Double {
        precondition(v.count == dimension, "a point has D values")
        return -0.5 * factor.squaredMahalanobisDistance(v, from: mean) - 0.5 * factor.logDeterminant
            - Double(dimension) * StandardNormal.halfLogTwoPi
    }

    /// A draw μ + L ε with ε_d = Φ⁻¹(u_d), from D uniforms.
    public func sample(uniforms: [Double]) -> [Double] {
        precondition(uniforms.count == dimension, "one uniform per dimension")
        let epsilon = uniforms.map(StandardNormal.quantile)
        return (0..<dimension).map { i in
            mean[i] + (0...i).reduce(0) { $0 + factor.lower[i * dimension + $1] * epsilon[$1] }
        }
    }
}
