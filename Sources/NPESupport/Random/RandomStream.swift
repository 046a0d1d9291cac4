import Foundation

/// An indexable stream of random draws: draw `i` is a pure function of `(seed, stream, i)`.
///
/// Counters: block `b` of stream `s` under seed `k` is `Philox4x32(counter: (b.lo, b.hi, s.lo, s.hi), key: k)`.
/// - Float uniforms: draw `i` is lane `i % 4` of block `i / 4`, mapped to the open interval (0, 1) as
///   `(bits >> 8 + 0.5) · 2⁻²⁴`.
/// - Double uniforms: draw `i` uses lanes `2(i % 2)` and `2(i % 2) + 1` of block `i / 2` (53 bits), in (0, 1).
/// - Normals: draws `2b` and `2b + 1` are the Box–Muller pair of the two Double uniforms of block `b`, computed in
///   Double, so tails reach about 8.5σ.
///
/// The three kinds share counters, so use one stream per purpose (``child(_:)`` derives independent streams,
/// e.g. one per epoch).
public struct RandomStream: Sendable, Hashable {
    public let seed: UInt64
    public let stream: UInt64

    public init(seed: UInt64, stream: UInt64 = 0) {
        self.seed = seed
        self.stream = stream
    }

    /// An independent stream keyed by `id`, derived by SplitMix64 mixing (Steele, Lea & Flood 2014) so that
    /// nearby ids give unrelated streams.
    public func child(_ id: UInt64) -> RandomStream {
        RandomStream(seed: seed, stream: Self.splitMix(stream &+ Self.splitMix(id &+ 0x5851_F42D_4C95_7F2D)))
    }

    @inlinable
    static func splitMix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable
    func block(_ index: UInt64) -> (UInt32, UInt32, UInt32, UInt32) {
        Philox4x32.block(
            counter: (UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: index >> 32),
                      UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32)),
            key: (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
    }

    @inlinable
    static func floatUniform(_ bits: UInt32) -> Float {
        (Float(bits >> 8) + 0.5) * 0x1p-24
    }

    @inlinable
    static func doubleUniform(_ high: UInt32, _ low: UInt32) -> Double {
        let bits = (UInt64(high) << 21) ^ (UInt64(low) >> 11)  // 53 bits
        return (Double(bits) + 0.5) * 0x1p-53
    }

    /// Float uniform draw `index`, in (0, 1).
    @inlinable
    public func uniform(_ index: UInt64) -> Float {
        let b = block(index / 4)
        switch index % 4 {
        case 0: return Self.floatUniform(b.0)
        case 1: return Self.floatUniform(b.1)
        case 2: return Self.floatUniform(b.2)
        default: return Self.floatUniform(b.3)
        }
    }

    /// Double uniform draw `index`, in (0, 1), with 53 random bits.
    @inlinable
    public func uniformDouble(_ index: UInt64) -> Double {
        let b = block(index / 2)
        return index % 2 == 0 ? Self.doubleUniform(b.0, b.1) : Self.doubleUniform(b.2, b.3)
    }

    @inlinable
    func normalPair(_ blockIndex: UInt64) -> (Double, Double) {
        let b = block(blockIndex)
        let u1 = Self.doubleUniform(b.0, b.1), u2 = Self.doubleUniform(b.2, b.3)
        let radius = (-2 * Foundation.log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (radius * Foundation.cos(angle), radius * Foundation.sin(angle))
    }

    /// Standard normal draw `index` (Double).
    @inlinable
    public func normalDouble(_ index: UInt64) -> Double {
        let pair = normalPair(index / 2)
        return index % 2 == 0 ? pair.0 : pair.1
    }

    /// Standard normal draw `index`.
    @inlinable
    public func normal(_ index: UInt64) -> Float { Float(normalDouble(index)) }

    /// Writes uniform draws `start ..< start + buffer.count` into `buffer`.
    public func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>, startingAt start: UInt64 = 0) {
        for i in 0..<buffer.count { buffer[i] = uniform(start + UInt64(i)) }
    }

    /// Writes normal draws `start ..< start + buffer.count` into `buffer`, scaled by `scale`.
    public func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, startingAt start: UInt64 = 0, scale: Float = 1) {
        var i = 0
        var index = start
        // An odd start uses the second half of a pair first; then whole pairs.
        if index % 2 == 1, i < buffer.count {
            buffer[i] = Float(normalPair(index / 2).1) * scale
            i += 1; index += 1
        }
        while i + 1 < buffer.count {
            let pair = normalPair(index / 2)
            buffer[i] = Float(pair.0) * scale
            buffer[i + 1] = Float(pair.1) * scale
            i += 2; index += 2
        }
        if i < buffer.count { buffer[i] = Float(normalPair(index / 2).0) * scale }
    }
}

/// A sequential `RandomNumberGenerator` over a ``RandomStream``, for Swift's own random APIs (shuffles,
/// `Int.random(in:using:)`). Its position is explicit, so it can be checkpointed and restored.
public struct PhiloxGenerator: RandomNumberGenerator, Sendable {
    public let stream: RandomStream
    /// The next 64-bit word index.
    public private(set) var position: UInt64

    public init(stream: RandomStream, position: UInt64 = 0) {
        self.stream = stream
        self.position = position
    }

    public init(seed: UInt64, stream: UInt64 = 0) {
        self.init(stream: RandomStream(seed: seed, stream: stream))
    }

    public mutating func next() -> UInt64 {
        let b = stream.block(position / 2)
        let value = position % 2 == 0
            ? (UInt64(b.0) << 32 | UInt64(b.1))
            : (UInt64(b.2) << 32 | UInt64(b.3))
        position += 1
        return value
    }
}
