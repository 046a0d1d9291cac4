import NPESupport

/// The flow's side of the one box-to-ℝ map (``SupportBijection``, NPESupport): samples are Float, so the inverse
/// must land strictly inside the support *after* rounding to Float.
///
/// | case | support | u = T(θ) | log T′(θ) |
/// |---|---|---|---|
/// | `identity` | ℝ | θ | 0 |
/// | `log` | (0, ∞) | log θ | −log θ |
/// | `logit(low, high)` | (l, h) | logit((θ − l)/(h − l)) | −log(h − l) − log p − log(1 − p) |
/// | `logitOfLog(low, high)` | (l, h), l > 0 | logit(log(θ/l)/log(h/l)) | −log θ − log log(h/l) − log q − log(1 − q) |
extension SupportBijection {
    /// θ = T⁻¹(u), always strictly inside the support (rounded inward if Float rounding would reach a bound),
    /// with log T′ at that θ.
    public func floatInverse(_ u: Double) -> (theta: Float, logDerivative: Double) {
        var single = Float(unclampedInverse(u))
        switch self {
        case let .logit(low, high), let .logitOfLog(low, high):
            if Double(single) <= low { single = Float(low).nextUp; while Double(single) <= low { single = single.nextUp } }
            if Double(single) >= high { single = Float(high).nextDown; while Double(single) >= high { single = single.nextDown } }
        case .log: if single <= 0 { single = .leastNonzeroMagnitude }
        case .identity: break
        }
        return (single, logAbsDetJacobian(at: Double(single)))
    }
}
