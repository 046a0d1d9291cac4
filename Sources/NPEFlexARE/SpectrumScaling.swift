/// Per-bin statistics of clean training spectra, fitted once on the training split: the standardisation both
/// networks work in, and the envelope that the imputer's physics term and the reconstruction accuracy use.
///
/// For bin j over the fit sample: μⱼ the mean, sⱼ the standard deviation (floored at 10⁻⁶ μⱼ and 10⁻³⁰, so a
/// constant bin cannot divide by zero), and [lowⱼ, highⱼ] the smallest and largest clean depth. Networks see
/// zⱼ = (xⱼ − μⱼ)/sⱼ.
public struct SpectrumScaling: Codable, Equatable, Sendable {
    public var mean: [Float]
    public var scale: [Float]
    public var low: [Float]
    public var high: [Float]

    public var binCount: Int { mean.count }

    public init(mean: [Float], scale: [Float], low: [Float], high: [Float]) {
        self.mean = mean
        self.scale = scale
        self.low = low
        self.high = high
    }

    /// Fits the statistics of `count` row-major spectra `x` (`[count, M]`, finite, count ≥ 2).
    public init(x: [Float], count: Int) {
        let m = count > 0 ? x.count / count : 0
        var sum = [Double](repeating: 0, count: m), squares = [Double](repeating: 0, count: m)
        var low = [Float](repeating: .infinity, count: m), high = [Float](repeating: -.infinity, count: m)
        for r in 0..<count {
            for j in 0..<m {
                let v = x[r * m + j]
                sum[j] += Double(v)
                low[j] = min(low[j], v)
                high[j] = max(high[j], v)
            }
        }
        let mean = sum.map { $0 / Double(max(count, 1)) }
        for r in 0..<count {
            for j in 0..<m { squares[j] += (Double(x[r * m + j]) - mean[j]) * (Double(x[r * m + j]) - mean[j]) }
        }
        let scale = (0..<m).map { j in
            Float(max((squares[j] / Double(max(count - 1, 1))).squareRoot(), 1e-6 * abs(mean[j]), 1e-30))
        }
        self.init(mean: mean.map(Float.init), scale: scale, low: low, high: high)
    }

    /// z = (x − μ)/s for each of the row-major rows of `x`; NaN stays NaN.
    public func standardized(_ x: [Float]) -> [Float] {
        let m = binCount
        return x.indices.map { (x[$0] - mean[$0 % m]) / scale[$0 % m] }
    }

    /// x = μ + s·z, the inverse of ``standardized(_:)``.
    public func destandardized(_ z: [Float]) -> [Float] {
        let m = binCount
        return z.indices.map { mean[$0 % m] + scale[$0 % m] * z[$0] }
    }

    /// The envelope in standardised units, for the physics term: ((lowⱼ − μⱼ)/sⱼ, (highⱼ − μⱼ)/sⱼ).
    public var standardizedEnvelope: (low: [Float], high: [Float]) {
        ((0..<binCount).map { (low[$0] - mean[$0]) / scale[$0] }, (0..<binCount).map { (high[$0] - mean[$0]) / scale[$0] })
    }
}
