import NPESupport
import NPETensor
import NPETraining

/// The (input, target) pairs a FlexARE network trains on, made from a batch of noise-free dataset rows.
///
/// For row r in epoch e (all draws keyed on (seed, epoch, row), so pairs do not depend on batching, workers or
/// resumption):
/// - input x̃ = x + σ ⊙ ε with the declared training noise (``NPETraining/NoiseAugmentation``; absent: x̃ = x);
/// - observed flags o from the static ADC2023 instrument masks (``NPETraining/MaskAugmentation`` over the grid's
///   instrument segments; absent: every bin observed);
/// - target x, the clean spectrum.
/// All three are returned standardised by the ``SpectrumScaling``.
public struct TrainingPairs: Sendable {
    public var scaling: SpectrumScaling
    public var noise: NoiseAugmentation?
    public var mask: MaskAugmentation?

    public init(scaling: SpectrumScaling, noise: NoiseAugmentation?, mask: MaskAugmentation?) {
        self.scaling = scaling
        self.noise = noise
        self.mask = mask
    }

    /// z̃, o and z, each `[n, M]`.
    public func make(_ batch: TrainingBatch, epoch: Int) throws -> (input: Tensor, observed: Tensor, target: Tensor) {
        let shape = batch.x.shape
        let noisy = try noise.map { try $0.apply(to: batch, epoch: epoch).x } ?? batch.x
        let observed = try mask.map { try $0.apply(to: batch, epoch: epoch) } ?? Tensor(repeating: 1, shape: shape)
        return (try Tensor(shape: shape, scalars: scaling.standardized(noisy.scalars)), observed,
                try Tensor(shape: shape, scalars: scaling.standardized(batch.x.scalars)))
    }

    /// GAIN's hint for row `rows[k]`: hⱼ = oⱼ with probability `rate` (drawn from stream (seed, 0x41A7) → epoch →
    /// row), else ½ ("not told").
    public static func hint(observed: Tensor, rows: [Int], rate: Double, epoch: Int, seed: UInt64) throws -> Tensor {
        let m = observed.shape[1]
        var h = observed.scalars
        let stream = RandomStream(seed: seed, stream: 0x41A7).child(UInt64(epoch))
        for (k, row) in rows.enumerated() {
            let draws = stream.child(UInt64(row))
            for j in 0..<m where draws.uniformDouble(UInt64(j)) >= rate { h[k * m + j] = 0.5 }
        }
        return try Tensor(shape: observed.shape, scalars: h)
    }
}
