import Foundation

/// The affine map of a masked autoregressive flow, y = x · exp(s) + m, with the log-scale soft-clamped:
/// s = a / (1 + |a|/c), so the scale stays within (e⁻ᶜ, eᶜ) however large the network's raw output a grows.
/// (A rational clamp rather than c·tanh(a/c): same shape near 0, and no transcendental call, which profiling
/// showed costing a quarter of a MAF training step.)
///
/// Parameters per element: (m, a). log g′ = s. The bound keeps deep stacks from blowing up early in training,
/// the role nbi's and nflows' bounded scales play (Papamakarios, Pavlakou & Murray 2017, "Masked Autoregressive
/// Flow for Density Estimation", arXiv:1705.07057).
public struct MonotonicAffine: ElementwiseTransform, Codable {
    /// c, the largest |log-scale|.
    public var logScaleBound: Float

    public init(logScaleBound: Float = 3) { self.logScaleBound = logScaleBound }

    public var parameterCount: Int { 2 }

    @inline(__always)
    func logScale(_ raw: Float) -> Float { raw / (1 + abs(raw) / logScaleBound) }

    @inline(__always)
    public func forward(_ x: Float, _ p: UnsafePointer<Float>) -> (y: Float, logDerivative: Float) {
        let s = logScale(p[1])
        return (x * expf(s) + p[0], s)
    }

    @inline(__always)
    public func inverse(_ y: Float, _ p: UnsafePointer<Float>) -> (x: Float, logDerivative: Float) {
        let s = logScale(p[1])
        return ((y - p[0]) * expf(-s), s)
    }

    @inline(__always)
    public func backward(
        _ x: Float, _ p: UnsafePointer<Float>, outputGradient gy: Float, logDerivativeGradient gl: Float,
        parameterGradient gp: UnsafeMutablePointer<Float>
    ) -> Float {
        let shrink = 1 / (1 + abs(p[1]) / logScaleBound)
        let scale = expf(p[1] * shrink)
        gp[0] += gy
        // ∂y/∂s = x eˢ, ∂(log g′)/∂s = 1, ∂s/∂a = 1 / (1 + |a|/c)².
        gp[1] += (gy * x * scale + gl) * shrink * shrink
        return gy * scale
    }
}
