import Foundation

/// How one component of θ is mapped to the whole real line, u = T(θ), so that a flow on u can never put mass
/// outside θ's support. It mirrors the four cases of NPESimulators' `UnconstrainedBijection` (the trainer maps a
/// prior's bijection onto this one; NPEFlows does not depend on the simulators).
///
/// | case | support | u = T(θ) | log T′(θ) |
/// |---|---|---|---|
/// | `identity` | ℝ | θ | 0 |
/// | `log` | (0, ∞) | log θ | −log θ |
/// | `logit(low, high)` | (l, h) | logit((θ − l)/(h − l)) | −log(h − l) − log p − log(1 − p) |
/// | `logitOfLog(low, high)` | (l, h), l > 0 | logit(log(θ/l)/log(h/l)) | −log θ − log log(h/l) − log q − log(1 − q) |
///
/// Arithmetic is in Double, so values near the bounds keep their precision before rounding to Float.
public enum UnconstrainingMap: Codable, Equatable, Sendable, Hashable {
    case identity
    case log
    case logit(low: Double, high: Double)
    case logitOfLog(low: Double, high: Double)

    /// Whether θ lies strictly inside the support (where T is finite).
    public func contains(_ theta: Double) -> Bool {
        switch self {
        case .identity: return theta.isFinite
        case .log: return theta > 0 && theta.isFinite
        case let .logit(low, high), let .logitOfLog(low, high): return theta > low && theta < high
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

    /// u = T(θ) and log T′(θ). Outside the support the formulas give NaN or ±∞; callers check ``contains(_:)``.
    public func forward(_ theta: Double) -> (u: Double, logDerivative: Double) {
        switch self {
        case .identity: return (theta, 0)
        case .log: return (Foundation.log(theta), -Foundation.log(theta))
        case let .logit(low, high):
            let p = (theta - low) / (high - low)
            return (Foundation.log(p) - Foundation.log1p(-p), -Foundation.log(high - low) - Foundation.log(p) - Foundation.log1p(-p))
        case let .logitOfLog(low, high):
            let span = Foundation.log(high / low), q = Foundation.log(theta / low) / span
            return (Foundation.log(q) - Foundation.log1p(-q),
                    -Foundation.log(theta) - Foundation.log(span) - Foundation.log(q) - Foundation.log1p(-q))
        }
    }

    /// d/dθ of (u, log T′), for the backward rule.
    func derivatives(_ theta: Double) -> (du: Double, dLogDerivative: Double) {
        switch self {
        case .identity: return (1, 0)
        case .log: return (1 / theta, -1 / theta)
        case let .logit(low, high):
            let p = (theta - low) / (high - low), dp = 1 / (high - low)
            return (dp / (p * (1 - p)), (-1 / p + 1 / (1 - p)) * dp)
        case let .logitOfLog(low, high):
            let span = Foundation.log(high / low), q = Foundation.log(theta / low) / span, dq = 1 / (theta * span)
            return (dq / (q * (1 - q)), -1 / theta + (-1 / q + 1 / (1 - q)) * dq)
        }
    }

    /// θ = T⁻¹(u), always strictly inside the support (rounded inward if Float rounding would reach a bound),
    /// with log T′ at that θ.
    public func inverse(_ u: Double) -> (theta: Float, logDerivative: Double) {
        var theta: Double
        switch self {
        case .identity: theta = u
        case .log: theta = Foundation.exp(u)
        case let .logit(low, high): theta = low + (high - low) * Self.sigmoid(u)
        case let .logitOfLog(low, high): theta = low * Foundation.exp(Foundation.log(high / low) * Self.sigmoid(u))
        }
        var single = Float(theta)
        switch self {
        case let .logit(low, high), let .logitOfLog(low, high):
            if Double(single) <= low { single = Float(low).nextUp; while Double(single) <= low { single = single.nextUp } }
            if Double(single) >= high { single = Float(high).nextDown; while Double(single) >= high { single = single.nextDown } }
        case .log: if single <= 0 { single = .leastNonzeroMagnitude }
        case .identity: break
        }
        theta = Double(single)
        return (single, forward(theta).logDerivative)
    }

    static func sigmoid(_ v: Double) -> Double { v >= 0 ? 1 / (1 + Foundation.exp(-v)) : Foundation.exp(v) / (1 + Foundation.exp(v)) }
}
