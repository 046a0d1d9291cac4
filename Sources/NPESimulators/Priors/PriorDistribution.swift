import Foundation
import NPESupport

/// One parameter's prior: a univariate distribution with an inverse CDF, a log-density and a support.
///
/// Draws are made by inversion, `quantile(u)` of a uniform u from the counter-based generator, so a dataset row
/// depends only on its index, never on thread count or draw order.
///
/// | family | YAML | density on support |
/// |---|---|---|
/// | ``uniform(low:high:)`` | `{uniform: [low, high]}` | 1 / (high − low) on (low, high) |
/// | ``logUniform(low:high:)`` | `{log_uniform: [low, high]}` | 1 / (x ln(high/low)) on (low, high), 0 < low |
/// | ``normal(mean:standardDeviation:)`` | `{normal: [mu, sigma]}` | N(x; μ, σ²) on ℝ |
/// | ``logNormal(mu:sigma:)`` | `{log_normal: [mu, sigma]}` | ln x ~ N(μ, σ²) (natural log) on (0, ∞) |
/// | ``fixed(_:)`` | `{fixed: value}` | a point mass; never inferred |
public enum PriorDistribution: Sendable, Equatable, Hashable {
    case uniform(low: Double, high: Double)
    case logUniform(low: Double, high: Double)
    case normal(mean: Double, standardDeviation: Double)
    case logNormal(mu: Double, sigma: Double)
    case fixed(Double)

    /// The family's name as written in a prior file (`uniform`, `log_uniform`, `normal`, `log_normal`, `fixed`).
    public var familyName: String {
        switch self {
        case .uniform: return "uniform"
        case .logUniform: return "log_uniform"
        case .normal: return "normal"
        case .logNormal: return "log_normal"
        case .fixed: return "fixed"
        }
    }

    /// The family's numbers in the order a prior file writes them.
    public var arguments: [Double] {
        switch self {
        case let .uniform(low, high), let .logUniform(low, high): return [low, high]
        case let .normal(mean, standardDeviation): return [mean, standardDeviation]
        case let .logNormal(mu, sigma): return [mu, sigma]
        case let .fixed(value): return [value]
        }
    }

    /// True for a point mass: the parameter is a constant simulator input, not a random variable.
    public var isFixed: Bool {
        if case .fixed = self { return true }
        return false
    }

    /// The closed interval that contains every draw; bounds may be infinite. The bounded families put
    /// zero density on the endpoints themselves, and ``quantile(_:)`` never returns them.
    public var support: ClosedRange<Double> {
        switch self {
        case let .uniform(low, high), let .logUniform(low, high): return low...high
        case .normal: return -Double.infinity...Double.infinity
        case .logNormal: return 0...Double.infinity
        case let .fixed(value): return value...value
        }
    }

    /// The inverse CDF F⁻¹(u).
    ///
    /// - Parameter u: a uniform draw in (0, 1). Values outside are clamped into the open interval as
    ///   ``StandardNormal/quantile(_:)`` does, so the result is always finite.
    /// - Returns: for ``uniform(low:high:)`` and ``logUniform(low:high:)``, a value strictly inside (low, high):
    ///   rounding that would land on an endpoint is nudged one ulp inwards, so the logit bijection stays finite.
    public func quantile(_ u: Double) -> Double {
        let u = StandardNormal.clampToOpenUnitInterval(u)
        switch self {
        case let .uniform(low, high):
            return Self.insideOpenInterval(low + (high - low) * u, low: low, high: high)
        case let .logUniform(low, high):
            let value = exp(log(low) + u * log(high / low))
            return Self.insideOpenInterval(value, low: low, high: high)
        case let .normal(mean, standardDeviation):
            return mean + standardDeviation * StandardNormal.quantile(u)
        case let .logNormal(mu, sigma):
            return exp(mu + sigma * StandardNormal.quantile(u))
        case let .fixed(value):
            return value
        }
    }

    /// The CDF F(x), the inverse of ``quantile(_:)``.
    public func cdf(_ x: Double) -> Double {
        switch self {
        case let .uniform(low, high):
            return min(max((x - low) / (high - low), 0), 1)
        case let .logUniform(low, high):
            guard x > low else { return 0 }
            return min(log(x / low) / log(high / low), 1)
        case let .normal(mean, standardDeviation):
            return StandardNormal.cdf((x - mean) / standardDeviation)
        case let .logNormal(mu, sigma):
            guard x > 0 else { return 0 }
            return StandardNormal.cdf((log(x) - mu) / sigma)
        case let .fixed(value):
            return x >= value ? 1 : 0
        }
    }

    /// log p(x): −∞ outside the support (and on the open families' endpoints); for ``fixed(_:)``, 0 at the
    /// value (the point mass is dropped from densities, as it is never inferred) and −∞ elsewhere.
    public func logDensity(_ x: Double) -> Double {
        guard !x.isNaN else { return -.infinity }
        switch self {
        case let .uniform(low, high):
            return x > low && x < high ? -log(high - low) : -.infinity
        case let .logUniform(low, high):
            return x > low && x < high ? -log(x) - log(log(high / low)) : -.infinity
        case let .normal(mean, standardDeviation):
            guard x.isFinite else { return -.infinity }
            return StandardNormal.logDensity((x - mean) / standardDeviation) - log(standardDeviation)
        case let .logNormal(mu, sigma):
            guard x > 0, x.isFinite else { return -.infinity }
            let logX = log(x)
            return StandardNormal.logDensity((logX - mu) / sigma) - log(sigma) - logX
        case let .fixed(value):
            return x == value ? 0 : -.infinity
        }
    }

    /// The bijection from the support to ℝ that flows use for this family: logit for a box, logit of the log for
    /// a log-uniform box (a plain log would leave the box open and let flow samples escape it), log for the
    /// log-normal, identity for the normal. A fixed value is never inferred; it gets the identity so code can
    /// treat every column alike.
    public var unconstrainedBijection: SupportBijection {
        switch self {
        case let .uniform(low, high): return .logit(low: low, high: high)
        case let .logUniform(low, high): return .logitOfLog(low: low, high: high)
        case .normal: return .identity
        case .logNormal: return .log
        case .fixed: return .identity
        }
    }

    private static func insideOpenInterval(_ value: Double, low: Double, high: Double) -> Double {
        if value <= low { return low.nextUp }
        if value >= high { return high.nextDown }
        return value
    }
}
