import Foundation
import NPETensor

/// Fresh Gaussian noise on noise-free training spectra, drawn anew every epoch.
///
/// Row r in epoch e receives x̃ᵣⱼ = xᵣⱼ + s·σⱼ·εᵣⱼ with εᵣⱼ = draw (r·M + j) of the Philox stream (seed, e). The
/// noise is a pure function of (seed, epoch, row): the same whatever batch or worker the row lands in, so training
/// is reproducible at any worker count.
///
/// With noise-level conditioning (Gebhard et al. 2025), each row's σ is also scaled by a factor s drawn
/// log-uniformly from `scaleRange` (its own stream), and the network is shown s·σ beside x̃, so one model learns
/// across signal-to-noise and inference can pass each target's own σ.
public struct NoiseAugmentation: Sendable, Equatable {
    /// Per-bin 1σ, in the units of x (length M).
    public var sigma: [Float]
    /// Log-uniform range of the per-row σ scale; nil means s = 1 for every row.
    public var scaleRange: ClosedRange<Float>?
    public var seed: UInt64

    public init(sigma: [Float], scaleRange: ClosedRange<Float>? = nil, seed: UInt64) {
        self.sigma = sigma
        self.scaleRange = scaleRange
        self.seed = seed
    }

    /// The σ scale of `row` in `epoch`.
    public func scale(row: Int, epoch: Int) -> Float {
        guard let range = scaleRange else { return 1 }
        let u = RandomStream(seed: seed, stream: 0x5CA1E).child(UInt64(epoch)).uniformDouble(UInt64(row))
        let low = Double(range.lowerBound).logValue, high = Double(range.upperBound).logValue
        return Float((low + u * (high - low)).expValue)
    }

    /// Returns (noisy x, per-row σ actually used) for a batch, in epoch `epoch`. Both `[n, M]`.
    public func apply(to batch: TrainingBatch, epoch: Int) throws -> (x: Tensor, sigma: Tensor) {
        let m = sigma.count
        guard batch.x.columnCount == m else {
            throw TensorError.shapeMismatch(op: "noise augmentation (x vs sigma)", lhs: batch.x.shape, rhs: [m])
        }
        let stream = RandomStream(seed: seed, stream: 0x9015E).child(UInt64(epoch))
        var noisy = batch.x
        var sigmas = Tensor.zeros(batch.x.shape)
        var epsilon = [Float](repeating: 0, count: m)
        for (k, row) in batch.rows.enumerated() {
            let s = scale(row: row, epoch: epoch)
            epsilon.withUnsafeMutableBufferPointer { stream.fillNormal($0, startingAt: UInt64(row) * UInt64(m)) }
            for j in 0..<m {
                let sj = s * sigma[j]
                sigmas[k, j] = sj
                noisy[k, j] += sj * epsilon[j]
            }
        }
        return (noisy, sigmas)
    }
}

private extension Double {
    var logValue: Double { Foundation.log(self) }
    var expValue: Double { Foundation.exp(self) }
}
