import NPESupport
import NPETensor

/// Per-bin observed masks for training a mask-aware estimator, drawn afresh every epoch.
///
/// For dataset row r in epoch e, with uniforms uₖ = draw k of stream (seed, 0x3A5C0) → child(e) → child(r), and K
/// instrument segments, M bins:
///
/// - the row is masked at all when u₀ < p (``probability``); otherwise every bin is observed;
/// - segment k is dropped when u₁₊ₖ < q (``segmentProbability``); when that drops every segment, segment
///   ⌊u₁₊ₖ · K⌋ (with k = K) is kept, so a row always keeps one instrument;
/// - a per-row rate ρ = u₂₊ₖ · r_max (``randomBinRate``, with k = K), and each remaining bin j is dropped when
///   u₃₊ₖ₊ⱼ < ρ (isolated bad bins: cosmic rays, telluric or detector gaps);
/// - if nothing is left observed (possible only when the segments do not cover the grid), bin ⌊u₃₊ₖ₊ₘ · M⌋ is
///   restored.
///
/// Every draw is a pure function of (seed, epoch, row), as with ``NoiseAugmentation``, so masks do not depend on
/// batching, the worker count or resumption. Masks are independent of θ and x (missing completely at random),
/// which is what makes the trained q(θ | x, o) the posterior given the observed bins alone.
public struct MaskAugmentation: Codable, Equatable, Sendable {
    /// M.
    public var binCount: Int
    /// The contiguous instrument ranges that are dropped as a whole (may be empty: random bins only).
    public var segments: [InstrumentSegment]
    /// p: the share of rows, each epoch, that get a mask; the others stay complete so the full-spectrum posterior
    /// is trained on as often as before.
    public var probability: Double
    /// q: the chance that each segment of a masked row is dropped.
    public var segmentProbability: Double
    /// r_max: the upper end of the per-row rate at which single remaining bins are dropped.
    public var randomBinRate: Double
    public var seed: UInt64

    /// The stream id of the mask draws, apart from the noise streams (0x50A7C, 0x5CA1E, 0x9015E).
    public static let streamID: UInt64 = 0x3A5C0

    /// - Throws: ``MaskAugmentationError`` for a segment outside 0..<M, or a probability outside its range.
    public init(binCount: Int, segments: [InstrumentSegment], probability: Double, segmentProbability: Double,
                randomBinRate: Double, seed: UInt64) throws {
        self.binCount = binCount
        self.segments = segments
        self.probability = probability
        self.segmentProbability = segmentProbability
        self.randomBinRate = randomBinRate
        self.seed = seed
        try validate()
    }

    func validate() throws {
        guard binCount >= 1 else { throw MaskAugmentationError("need at least one bin") }
        for segment in segments where !(0 <= segment.first && segment.first <= segment.last && segment.last < binCount) {
            throw MaskAugmentationError("segment \(segment.name) covers bins \(segment.first)…\(segment.last), outside 0…\(binCount - 1)")
        }
        guard probability > 0, probability <= 1 else { throw MaskAugmentationError("probability \(probability) must lie in (0, 1]") }
        guard (0...1).contains(segmentProbability) else {
            throw MaskAugmentationError("segment probability \(segmentProbability) must lie in [0, 1]")
        }
        guard randomBinRate >= 0, randomBinRate < 1 else { throw MaskAugmentationError("random bin rate \(randomBinRate) must lie in [0, 1)") }
        guard (!segments.isEmpty && segmentProbability > 0) || randomBinRate > 0 else {
            throw MaskAugmentationError("neither segments nor random bins are ever dropped, so no mask would be drawn")
        }
    }

    /// Row `row`'s mask in epoch `epoch`: M flags, true where the bin is observed.
    public func observed(row: Int, epoch: Int) -> [Bool] {
        let m = binCount, k = segments.count
        var mask = [Bool](repeating: true, count: m)
        let draws = RandomStream(seed: seed, stream: Self.streamID).child(UInt64(epoch)).child(UInt64(row))
        func u(_ index: Int) -> Double { draws.uniformDouble(UInt64(index)) }
        guard u(0) < probability else { return mask }
        var dropped = (0..<k).map { u(1 + $0) < segmentProbability }
        if k > 0, dropped.allSatisfy({ $0 }) { dropped[min(Int(u(1 + k) * Double(k)), k - 1)] = false }
        for (segment, drop) in zip(segments, dropped) where drop {
            for bin in segment.bins { mask[bin] = false }
        }
        let rate = u(2 + k) * randomBinRate
        if rate > 0 {
            for bin in 0..<m where mask[bin] && u(3 + k + bin) < rate { mask[bin] = false }
        }
        if !mask.contains(true) { mask[min(Int(u(3 + k + m) * Double(m)), m - 1)] = true }
        return mask
    }

    /// The batch's masks `[n, M]`, 1 = observed, 0 = missing.
    public func apply(to batch: TrainingBatch, epoch: Int) throws -> Tensor {
        let m = binCount
        guard batch.x.columnCount == m else {
            throw TensorError.shapeMismatch(op: "mask augmentation (x vs mask)", lhs: batch.x.shape, rhs: [m])
        }
        var values = [Float](repeating: 1, count: batch.count * m)
        for (k, row) in batch.rows.enumerated() {
            for (bin, seen) in observed(row: row, epoch: epoch).enumerated() where !seen { values[k * m + bin] = 0 }
        }
        return try Tensor(shape: [batch.count, m], scalars: values)
    }
}

/// A mask augmentation that cannot be built; the message says which value is wrong.
public struct MaskAugmentationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
