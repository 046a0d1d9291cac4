import Foundation
import NPETensor

/// The fused training-mode batch normalisation, y = x̂ ⊙ γ + β with x̂ = (x − μ)/√(σ² + ε), μ and σ² (biased)
/// over all rows of the `[rows, channels]` view of x.
///
/// Vector–Jacobian product (Ioffe & Szegedy 2015, §3), per channel with N rows, s = 1/√(σ² + ε) and
/// ĝ = g ⊙ γ:
///
///     ∂x = s · (ĝ − mean(ĝ) − x̂ ⊙ mean(ĝ ⊙ x̂)),   ∂γ = Σ g ⊙ x̂,   ∂β = Σ g.
///
/// x̂ is recomputed from x in the backward pass rather than stored: one cheap pass instead of a tensor kept alive
/// for the whole graph. Statistics are accumulated in Double, so a channel of large N does not lose precision.
struct BatchNormalizationOperation: DifferentiableOperation {
    let channels: Int
    let epsilon: Float
    var name: String { "batchNormalization" }

    /// Per-channel mean and biased variance of x viewed as `[count / channels, channels]`.
    func statistics(_ x: Tensor) -> (mean: [Float], variance: [Float]) {
        let rows = x.count / channels
        var sum = [Double](repeating: 0, count: channels), squares = [Double](repeating: 0, count: channels)
        x.scalars.withUnsafeBufferPointer { v in
            for r in 0..<rows {
                let base = r * channels
                for c in 0..<channels { sum[c] += Double(v[base + c]) }
            }
            for c in 0..<channels { sum[c] /= Double(rows) }
            for r in 0..<rows {
                let base = r * channels
                for c in 0..<channels {
                    let d = Double(v[base + c]) - sum[c]
                    squares[c] += d * d
                }
            }
        }
        return (sum.map { Float($0) }, squares.map { Float($0 / Double(rows)) })
    }

    func forward(_ x: Tensor, mean: [Float], variance: [Float], scale: Tensor, offset: Tensor) -> Tensor {
        let factor = (0..<channels).map { scale.scalars[$0] / (variance[$0] + epsilon).squareRoot() }
        let shift = (0..<channels).map { offset.scalars[$0] - mean[$0] * factor[$0] }
        var y = x
        y.withUnsafeMutableScalars { v in
            for r in 0..<(v.count / channels) {
                let base = r * channels
                for c in 0..<channels { v[base + c] = v[base + c] * factor[c] + shift[c] }
            }
        }
        return y
    }

    func vectorJacobianProducts(inputs: [Tensor], output: Tensor, outputGradient g: Tensor, needed: [Bool]) throws -> [Tensor?] {
        let x = inputs[0], gamma = inputs[1]
        let rows = x.count / channels
        let (mean, variance) = statistics(x)
        let inverse = variance.map { 1 / ($0 + epsilon).squareRoot() }
        var gradientSum = [Double](repeating: 0, count: channels)    // Σ g
        var projectedSum = [Double](repeating: 0, count: channels)   // Σ g ⊙ x̂
        x.scalars.withUnsafeBufferPointer { xv in
            g.scalars.withUnsafeBufferPointer { gv in
                for r in 0..<rows {
                    let base = r * channels
                    for c in 0..<channels {
                        let normalised = (xv[base + c] - mean[c]) * inverse[c]
                        gradientSum[c] += Double(gv[base + c])
                        projectedSum[c] += Double(gv[base + c] * normalised)
                    }
                }
            }
        }
        var gx: Tensor?
        if needed[0] {
            // mean(ĝ) = γ Σg / N and mean(ĝ ⊙ x̂) = γ Σ(g ⊙ x̂) / N.
            let meanScaled = (0..<channels).map { Float(gradientSum[$0] / Double(rows)) * gamma.scalars[$0] }
            let meanProjected = (0..<channels).map { Float(projectedSum[$0] / Double(rows)) * gamma.scalars[$0] }
            var out = g
            out.withUnsafeMutableScalars { o in
                x.scalars.withUnsafeBufferPointer { xv in
                    for r in 0..<rows {
                        let base = r * channels
                        for c in 0..<channels {
                            let normalised = (xv[base + c] - mean[c]) * inverse[c]
                            o[base + c] = inverse[c] * (o[base + c] * gamma.scalars[c] - meanScaled[c] - normalised * meanProjected[c])
                        }
                    }
                }
            }
            gx = out
        }
        let gGamma = needed[1] ? try Tensor(shape: [channels], scalars: projectedSum.map { Float($0) }) : nil
        let gBeta = needed[2] ? try Tensor(shape: [channels], scalars: gradientSum.map { Float($0) }) : nil
        return [gx, gGamma, gBeta]
    }
}
