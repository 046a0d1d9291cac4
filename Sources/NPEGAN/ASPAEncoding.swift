import Foundation
import NPETensor

/// Encodes (θ, spectrum) rows as 16×16 ASPA-style images in [−1, 1] and decodes them back (layout in
/// ``ASPALayout``; picture in `docs/exogan-encoding.md`).
///
/// Maps, with all arithmetic in Double and images stored as Float32:
/// * spectral pixel of bin j in segment s: `2 (x_j − min_s) / (max_s − min_s) − 1` (0 for a flat segment);
/// * strip and mean pixels: `e(d) = 2 (log₁₀ d − a) / (b − a) − 1` with [a, b] = ``logDepthRange``, so depths
///   spanning decades share the tanh range; a depth outside 10^[a, b] still encodes (to a pixel beyond ±1) and
///   decodes exactly, the generator just cannot reach it;
/// * parameter pixel: `2 (θ_k − low_k) / (high_k − low_k) − 1`.
///
/// Decoding inverts each map from the average of the pixels that hold the value (averaged in Double, so
/// identical pixels give their value back exactly). The round trip is exact up to the Float32 rounding of the
/// stored pixels (relative error ~ 1e-7 · ln 10 · (b − a) for depths).
public struct ASPAEncoding: Codable, Sendable, Equatable {
    /// Lower prior bound of each parameter (D ≤ 7 of them).
    public var parameterLow: [Double]
    /// Upper prior bound of each parameter.
    public var parameterHigh: [Double]
    /// The log₁₀ transit depths mapped to −1 and +1 in the strips and the mean patch.
    public var logDepthLow: Double
    public var logDepthHigh: Double

    /// - Throws: ``ExoGANError`` if D is 0 or above 7, or a bound or the depth range is not finite and increasing.
    public init(parameterLow: [Double], parameterHigh: [Double], logDepthRange: ClosedRange<Double>) throws {
        guard parameterLow.count == parameterHigh.count, (1...ASPALayout.maximumParameterCount).contains(parameterLow.count) else {
            throw ExoGANError.parameterCount(expected: "1...\(ASPALayout.maximumParameterCount) with as many upper as lower bounds",
                                             got: parameterLow.count)
        }
        for k in parameterLow.indices where !(parameterLow[k].isFinite && parameterHigh[k].isFinite && parameterLow[k] < parameterHigh[k]) {
            throw ExoGANError.invalidPriorBounds(parameter: k, low: parameterLow[k], high: parameterHigh[k])
        }
        guard logDepthRange.lowerBound.isFinite, logDepthRange.upperBound.isFinite,
              logDepthRange.lowerBound < logDepthRange.upperBound else {
            throw ExoGANError.invalidDepthRange(low: logDepthRange.lowerBound, high: logDepthRange.upperBound)
        }
        self.parameterLow = parameterLow
        self.parameterHigh = parameterHigh
        logDepthLow = logDepthRange.lowerBound
        logDepthHigh = logDepthRange.upperBound
    }

    /// An encoding whose depth range covers the training spectra `x` `[n, 52]` with `marginDex` decades to spare
    /// on each side (room for noisier or more extreme observed spectra).
    public static func fitted(spectra x: Tensor, parameterLow: [Double], parameterHigh: [Double],
                              marginDex: Double = 0.5) throws -> ASPAEncoding {
        try checkSpectra(x)
        var low = Double.infinity, high = -Double.infinity
        for (i, value) in x.scalars.enumerated() {
            guard value > 0, value.isFinite else {
                throw ExoGANError.invalidDepth(row: i / ASPALayout.binCount, bin: i % ASPALayout.binCount, value: value)
            }
            low = min(low, log10(Double(value)))
            high = max(high, log10(Double(value)))
        }
        return try ASPAEncoding(parameterLow: parameterLow, parameterHigh: parameterHigh,
                                logDepthRange: (low - marginDex)...(high + marginDex))
    }

    /// D, the number of encoded parameters.
    public var parameterCount: Int { parameterLow.count }

    /// 1 for every pixel known from the spectrum alone (everything but the D parameter patches), else 0; `[256]`.
    public var knownMask: [Float] {
        var mask = [Float](repeating: 1, count: ASPALayout.pixelCount)
        for q in 0..<parameterCount { for p in ASPALayout.patchPixels(q) { mask[p] = 0 } }
        return mask
    }

    /// Images `[n, 16, 16, 1]` of rows θ `[n, D]` and x `[n, 52]`.
    /// - Throws: ``ExoGANError`` naming the row and bin or parameter of a non-positive depth or a θ outside the box.
    public func encode(theta: Tensor, x: Tensor) throws -> Tensor {
        var images = try encode(spectra: x)
        guard theta.rank == 2, theta.shape[0] == x.shape[0] else {
            throw ExoGANError.shape(what: "theta", expected: "[\(x.shape[0]), \(parameterCount)]", got: theta.shape)
        }
        guard theta.shape[1] == parameterCount else {
            throw ExoGANError.parameterCount(expected: "\(parameterCount)", got: theta.shape[1])
        }
        for row in 0..<theta.shape[0] {
            for k in 0..<parameterCount {
                let value = theta[row, k]
                guard value.isFinite, Double(value) >= parameterLow[k], Double(value) <= parameterHigh[k] else {
                    throw ExoGANError.parameterOutsidePrior(row: row, parameter: k, value: value,
                                                            low: parameterLow[k], high: parameterHigh[k])
                }
                let pixel = Float(2 * (Double(value) - parameterLow[k]) / (parameterHigh[k] - parameterLow[k]) - 1)
                for p in ASPALayout.patchPixels(k) { images[scalarAt: row * ASPALayout.pixelCount + p] = pixel }
            }
        }
        return images
    }

    /// Images `[n, 16, 16, 1]` of spectra x `[n, 52]` with zero parameter patches: the known context of an
    /// inpainting target.
    public func encode(spectra x: Tensor) throws -> Tensor {
        try Self.checkSpectra(x)
        let n = x.shape[0], bins = ASPALayout.binCount
        var out = [Float](repeating: 0, count: n * ASPALayout.pixelCount)
        for row in 0..<n {
            let base = row * ASPALayout.pixelCount
            let values = (0..<bins).map { Double(x.scalars[row * bins + $0]) }
            for (bin, value) in values.enumerated() where !(value > 0 && value.isFinite) {
                throw ExoGANError.invalidDepth(row: row, bin: bin, value: Float(value))
            }
            for s in 0..<ASPALayout.segmentCount {
                let segment = values[(s * ASPALayout.segmentLength)..<((s + 1) * ASPALayout.segmentLength)]
                let low = segment.min()!, high = segment.max()!
                for (j, value) in segment.enumerated() {
                    let pixel = high > low ? Float(2 * (value - low) / (high - low) - 1) : 0
                    for p in ASPALayout.spectralPixels(bin: s * ASPALayout.segmentLength + j) { out[base + p] = pixel }
                }
                for p in ASPALayout.stripPixels(segment: s, maximum: true) { out[base + p] = depthPixel(high) }
                for p in ASPALayout.stripPixels(segment: s, maximum: false) { out[base + p] = depthPixel(low) }
            }
            let mean = values.reduce(0, +) / Double(bins)
            for p in ASPALayout.patchPixels(ASPALayout.meanPatch) { out[base + p] = depthPixel(mean) }
        }
        return try Tensor(shape: [n, ASPALayout.side, ASPALayout.side, 1], scalars: out)
    }

    /// θ `[n, D]` from the parameter patches of images `[n, 16, 16, 1]` (or `[n, 256]`): each patch's mean, mapped
    /// back to the prior box and clamped into it (a generated patch may overshoot ±1 slightly).
    public func decodeParameters(_ images: Tensor) throws -> Tensor {
        let n = try Self.imageCount(images)
        var out = [Float](repeating: 0, count: n * parameterCount)
        for row in 0..<n {
            for k in 0..<parameterCount {
                let u = Self.average(images, row: row, pixels: ASPALayout.patchPixels(k))
                let value = parameterLow[k] + (u + 1) / 2 * (parameterHigh[k] - parameterLow[k])
                out[row * parameterCount + k] = Float(min(max(value, parameterLow[k]), parameterHigh[k]))
            }
        }
        return try Tensor(shape: [n, parameterCount], scalars: out)
    }

    /// Spectra `[n, 52]` from images: the strips give each segment's range, the spectral pixels (both rows
    /// averaged) the position inside it.
    public func decodeSpectra(_ images: Tensor) throws -> Tensor {
        let n = try Self.imageCount(images)
        var out = [Float](repeating: 0, count: n * ASPALayout.binCount)
        for row in 0..<n {
            for s in 0..<ASPALayout.segmentCount {
                let high = depth(Self.average(images, row: row, pixels: ASPALayout.stripPixels(segment: s, maximum: true)))
                let low = depth(Self.average(images, row: row, pixels: ASPALayout.stripPixels(segment: s, maximum: false)))
                for j in 0..<ASPALayout.segmentLength {
                    let bin = s * ASPALayout.segmentLength + j
                    let u = Self.average(images, row: row, pixels: ASPALayout.spectralPixels(bin: bin))
                    out[row * ASPALayout.binCount + bin] = Float(low + (u + 1) / 2 * (high - low))
                }
            }
        }
        return try Tensor(shape: [n, ASPALayout.binCount], scalars: out)
    }

    /// e(d): a depth's strip pixel.
    func depthPixel(_ depth: Double) -> Float {
        Float(2 * (log10(depth) - logDepthLow) / (logDepthHigh - logDepthLow) - 1)
    }

    /// e⁻¹(p): the depth a strip pixel value stands for.
    func depth(_ pixel: Double) -> Double {
        pow(10, logDepthLow + (pixel + 1) / 2 * (logDepthHigh - logDepthLow))
    }

    static func checkSpectra(_ x: Tensor) throws {
        guard x.rank == 2 else { throw ExoGANError.shape(what: "spectra", expected: "[n, \(ASPALayout.binCount)]", got: x.shape) }
        guard x.shape[1] == ASPALayout.binCount else { throw ExoGANError.spectrumLength(expected: ASPALayout.binCount, got: x.shape[1]) }
    }

    static func imageCount(_ images: Tensor) throws -> Int {
        let valid = images.shape.count == 4 && Array(images.shape[1...]) == [ASPALayout.side, ASPALayout.side, 1]
            || images.shape.count == 2 && images.shape[1] == ASPALayout.pixelCount
        guard valid else { throw ExoGANError.shape(what: "images", expected: "[n, 16, 16, 1] or [n, 256]", got: images.shape) }
        return images.shape[0]
    }

    static func average(_ images: Tensor, row: Int, pixels: [Int]) -> Double {
        let base = row * ASPALayout.pixelCount
        return pixels.reduce(0.0) { $0 + Double(images.scalars[base + $1]) } / Double(pixels.count)
    }
}
