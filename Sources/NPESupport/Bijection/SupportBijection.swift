import Foundation

/// A smooth bijection z = T(x) from a parameter's support onto ℝ, with its log-Jacobians: the one
/// box-to-ℝ map of the project.
///
/// Priors say which map each parameter has (``NPESimulators``' `PriorDistribution.unconstrainedBijection`), and
/// flows model z, where every value is legal, and map samples back with ``inverse(_:)``, so a sample can never
/// leave the prior's support. Densities convert by the change of variables
/// p_x(x) = p_z(T(x)) · |dT/dx|, i.e. `log p_x = log p_z + logAbsDetJacobian(at: x)`. Arithmetic is in Double, so
/// values near the bounds keep their precision before any rounding to Float (NPEFlows adds the Float-side inverse
/// that rounds inward).
///
/// | case | z = T(x) | x = T⁻¹(z) |
/// |---|---|---|
/// | ``identity`` | x | z |
/// | ``log`` | ln x | eᶻ |
/// | ``logit(low:high:)`` | logit((x − low)/(high − low)) | low + (high − low) σ(z) |
/// | ``logitOfLog(low:high:)`` | logit(ln(x/low)/ln(high/low)) | low · (high/low)^σ(z) |
public enum SupportBijection: Sendable, Equatable, Hashable, Codable {
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

    /// Whether x lies strictly inside the support (where T is finite).
    public func contains(_ x: Double) -> Bool {
        switch self {
        case .identity: return x.isFinite
        case .log: return x > 0 && x.isFinite
        case let .logit(low, high), let .logitOfLog(low, high): return x > low && x < high
        }
    }

    /// Whether the description itself is valid (finite bounds, low < high, positive low for the log form).
    public var isValid: Bool {
        switch self {
        case .identity, .log: return true
        case let .logit(low, high): return low.isFinite && high.isFinite && low < high
        case let .logitOfLog(low, high): return low.isFinite && high.isFinite && low > 0 && low < high
        }
    }

    /// z = T(x) and log T′(x) in one call. Outside the support the formulas give NaN or ±∞; callers check
    /// ``contains(_:)``.
    public func forwardWithLogDerivative(_ x: Double) -> (z: Double, logDerivative: Double) {
        (forward(x), logAbsDetJacobian(at: x))
    }

    /// d/dx of (z, log T′), for backward rules through the map.
    public func derivatives(_ x: Double) -> (dz: Double, dLogDerivative: Double) {
        switch self {
        case .identity: return (1, 0)
        case .log: return (1 / x, -1 / x)
        case let .logit(low, high):
            let p = (x - low) / (high - low), dp = 1 / (high - low)
            return (dp / (p * (1 - p)), (-1 / p + 1 / (1 - p)) * dp)
        case let .logitOfLog(low, high):
            let span = Foundation.log(high / low), q = Foundation.log(x / low) / span, dq = 1 / (x * span)
            return (dq / (q * (1 - q)), -1 / x + (-1 / q + 1 / (1 - q)) * dq)
        }
    }

    /// The unclamped inverse, for callers that round the result themselves (see NPEFlows' Float inverse).
    public func unclampedInverse(_ z: Double) -> Double {
        switch self {
        case .identity: return z
        case .log: return exp(z)
        case let .logit(low, high): return low + (high - low) * Self.sigmoid(z)
        case let .logitOfLog(low, high): return low * exp(Foundation.log(high / low) * Self.sigmoid(z))
        }
    }

    static func logit(_ u: Double) -> Double { Foundation.log(u) - Foundation.log1p(-u) }

    public static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }

    /// softplus(z) = ln(1 + eᶻ), without overflow.
    static func softplus(_ z: Double) -> Double {
        z > 0 ? z + Foundation.log1p(exp(-z)) : Foundation.log1p(exp(z))
    }
}
