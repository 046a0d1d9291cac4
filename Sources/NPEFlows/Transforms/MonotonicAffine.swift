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

    public func forward(count: Int, x: UnsafePointer<Float>, parameters p: UnsafePointer<Float>,
                        y: UnsafeMutablePointer<Float>, logDerivative: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let s = logScale(p[2 * i + 1])
            y[i] = x[i] * expf(s) + p[2 * i]
            logDerivative[i] = s
        }
    }

    public func inverse(count: Int, y: UnsafePointer<Float>, parameters p: UnsafePointer<Float>,
                        x: UnsafeMutablePointer<Float>, logDerivative: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let s = logScale(p[2 * i + 1])
            x[i] = (y[i] - p[2 * i]) * expf(-s)
            logDerivative[i] = s
        }
    }

    public func backward(count: Int, x: UnsafePointer<Float>, parameters p: UnsafePointer<Float>,
                         outputGradient gy: UnsafePointer<Float>, logDerivativeGradient gl: UnsafePointer<Float>,
                         inputGradient gx: UnsafeMutablePointer<Float>, parameterGradient gp: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let raw = p[2 * i + 1]
            let shrink = 1 / (1 + abs(raw) / logScaleBound)
            let scale = expf(raw * shrink)
            gp[2 * i] += gy[i]
            // ∂y/∂s = x eˢ, ∂(log g′)/∂s = 1, ∂s/∂a = 1 / (1 + |a|/c)².
            gp[2 * i + 1] += (gy[i] * x[i] * scale + gl[i]) * shrink * shrink
            gx[i] = gy[i] * scale
        }
    }
}
