import Foundation
import NPEModels
import NPETensor

/// Fresh Gaussian noise on noise-free training spectra, drawn anew every epoch from a declared ``TrainingNoise``.
///
/// Row r in epoch e receives x̃ᵣ = xᵣ + σᵣₑ ⊙ εᵣₑ, with σᵣₑ and εᵣₑ pure functions of (seed, epoch, row) (see
/// ``TrainingNoise``): the same whatever batch or worker the row lands in, so training is reproducible at any
/// worker count. With noise-level conditioning the network is shown σᵣₑ beside x̃ᵣ.
public struct NoiseAugmentation: Sendable, Equatable {
    public var noise: TrainingNoise
    public var seed: UInt64

    public init(noise: TrainingNoise, seed: UInt64) {
        self.noise = noise
        self.seed = seed
    }

    /// One fixed σ row (length M), optionally scaled per row by a log-uniform factor from `scaleRange`.
    public init(sigma: [Float], scaleRange: ClosedRange<Float>? = nil, seed: UInt64) throws {
        self.init(noise: try TrainingNoise(sigmaRows: [sigma], scaleRange: scaleRange, source: "fixed per-bin sigma"), seed: seed)
    }

    /// Returns (noisy x, per-row σ actually used) for a batch, in epoch `epoch`. Both `[n, M]`.
    public func apply(to batch: TrainingBatch, epoch: Int) throws -> (x: Tensor, sigma: Tensor) {
        let m = noise.binCount
        guard batch.x.columnCount == m else {
            throw TensorError.shapeMismatch(op: "noise augmentation (x vs sigma)", lhs: batch.x.shape, rhs: [m])
        }
        var noisy = batch.x.scalars
        var sigmas = [Float](repeating: 0, count: noisy.count)
        var row = [Float](repeating: 0, count: m)
        for (k, datasetRow) in batch.rows.enumerated() {
            for j in 0..<m { row[j] = noisy[k * m + j] }
            let sigma = noise.perturb(&row, row: datasetRow, epoch: epoch, seed: seed)
            for j in 0..<m {
                noisy[k * m + j] = row[j]
                sigmas[k * m + j] = sigma[j]
            }
        }
        return (try Tensor(shape: batch.x.shape, scalars: noisy), try Tensor(shape: batch.x.shape, scalars: sigmas))
    }
}
