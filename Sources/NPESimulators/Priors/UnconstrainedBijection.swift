import Foundation

/// A smooth bijection z = T(x) from a prior's support onto ℝ, with its log-Jacobians.
///
/// Flows model z, where every value is legal, and map samples back with ``inverse(_:)``, so a sample can never
/// leave the prior's support. Densities convert by the change of variables
/// p_x(x) = p_z(T(x)) · |dT/dx|, i.e. `log p_x = log p_z + logAbsDetJacobian(at: x)`.
///
/// | case | z = T(x) | x = T⁻¹(z) |
/// |---|---|---|
/// | ``identity`` | x | z |
/// | ``log`` | ln x | eᶻ |
/// | ``logit(low:high:)`` | logit((x − low)/(high − low)) | low + (high − low) σ(z) |
/// | ``logitOfLog(low:high:)`` | logit(ln(x/low)/ln(high/low)) | low · (high/low)^σ(z) |
public enum UnconstrainedBijection: Sendable, Equatable, Hashable, Codable {
    case identity
    case log
    case logit(low: Double, high: Double)
    case logitOfLog(low: Double, high: Double)

    /// z = T(x). Points on or outside the support map to ±∞ or NaN, as the formulas give.
    public func forward(_ x: Double) -> Double {
        switch self {
        case .identity: return x
        case .log: return Foundation.log(x)
        case let .logit(low, high): return Self.logit((x - low) / (high - low))
        case let .logitOfLog(low, high): return Self.logit(Foundation.log(x / low) / Foundation.log(high / low))
        }
    }

    /// x = T⁻¹(z). For the logit cases the result is clamped into the closed support, so rounding at
    /// |z| ≳ 37 never steps outside it.
    public func inverse(_ z: Double) -> Double {
        switch self {
        case .identity: return z
        case .log: return exp(z)
        case let .logit(low, high):
            return min(max(low + (high - low) * Self.sigmoid(z), low), high)
        case let .logitOfLog(low, high):
            return min(max(low * exp(Self.sigmoid(z) * Foundation.log(high / low)), low), high)
        }
    }

    /// log |dT/dx| at x (constrained side).
    public func logAbsDetJacobian(at x: Double) -> Double {
        switch self {
        case .identity: return 0
        case .log: return -Foundation.log(x)
        case let .logit(low, high):
            let u = (x - low) / (high - low)
            return -Foundation.log(high - low) - Foundation.log(u) - Foundation.log1p(-u)
        case let .logitOfLog(low, high):
            let width = Foundation.log(high / low)
            let u = Foundation.log(x / low) / width
            return -Foundation.log(width) - Foundation.log(x) - Foundation.log(u) - Foundation.log1p(-u)
        }
    }

    /// log |dT⁻¹/dz| at z (unconstrained side); equals −``logAbsDetJacobian(at:)`` at x = T⁻¹(z), but is
    /// computed from z directly with stable softplus terms, so it stays finite in the far tails.
    public func inverseLogAbsDetJacobian(at z: Double) -> Double {
        switch self {
        case .identity: return 0
        case .log: return z
        case let .logit(low, high):
            // dσ/dz = σ(z)σ(−z); log σ(z) = −softplus(−z).
            return Foundation.log(high - low) - Self.softplus(-z) - Self.softplus(z)
        case let .logitOfLog(low, high):
            let width = Foundation.log(high / low)
            let logX = Foundation.log(low) + Self.sigmoid(z) * width
            return Foundation.log(width) + logX - Self.softplus(-z) - Self.softplus(z)
        }
    }

    static func logit(_ u: Double) -> Double { Foundation.log(u) - Foundation.log1p(-u) }

    static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }

    /// softplus(z) = ln(1 + eᶻ), without overflow.
    static func softplus(_ z: Double) -> Double {
        z > 0 ? z + Foundation.log1p(exp(-z)) : Foundation.log1p(exp(z))
    }
}
