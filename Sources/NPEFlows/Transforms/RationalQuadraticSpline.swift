import Foundation

/// A monotonic rational-quadratic spline on [−B, B] with K bins and identity (linear) tails outside
/// (Durkan, Bekasov, Murray & Papamakarios 2019, "Neural Spline Flows", arXiv:1906.04032).
///
/// Parameters per element (P = 3K − 1), unconstrained: K bin widths u_w, K bin heights u_h and K − 1 interior
/// knot derivatives u_δ. They are constrained as
///
///   wₖ = 2B (m_w + (1 − K m_w) softmax(u_w)ₖ),  hₖ likewise,  δᵢ = m_δ + softplus(u_δ,ᵢ + c),
///
/// with δ₀ = δ_K = 1 so the slopes match the identity tails, and c = log(e^{1 − m_δ} − 1), so that all-zero
/// parameters give the identity map (a calm start for training). Inside bin k, with ξ = (x − xₖ)/wₖ and
/// sₖ = hₖ/wₖ,
///
///   g(x) = yₖ + hₖ [sₖ ξ² + δₖ ξ(1 − ξ)] / [sₖ + (δₖ₊₁ + δₖ − 2sₖ) ξ(1 − ξ)],
///
/// and the inverse is the root of a quadratic in ξ (their eq. 6–8), taken in the cancellation-free form
/// ξ = 2c / (−b − √(b² − 4ac)).
///
/// Elements are processed eight at a time, one per SIMD lane (``Lanes``): the softmaxes, the bin search (one
/// pass of cumulative sums, each lane keeping its bin through masks), the formula and the hand-derived backward
/// rule are vector code for eight elements, and nothing is allocated per element. A partial last group runs in
/// zero-padded lanes, so an element's result never depends on its neighbours or on how a batch is split.
///
/// - Warning: the spline only acts on [−B, B]; standardise its inputs (the estimator does) so that the mass lies
///   well inside.
public struct RationalQuadraticSpline: ElementwiseTransform, Codable {
    /// K.
    public var bins: Int
    /// B, the half-width of the spline's interval.
    public var bound: Float
    public var minimumBinWidth: Float
    public var minimumBinHeight: Float
    public var minimumDerivative: Float {
        didSet { derivativeShift = logf(expm1f(1 - minimumDerivative)) }
    }
    /// c = log(e^{1 − m_δ} − 1), cached: it is needed for every knot of every element.
    private(set) var derivativeShift: Float

    enum CodingKeys: String, CodingKey { case bins, bound, minimumBinWidth, minimumBinHeight, minimumDerivative }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(bins: try c.decode(Int.self, forKey: .bins), bound: try c.decode(Float.self, forKey: .bound),
                  minimumBinWidth: try c.decode(Float.self, forKey: .minimumBinWidth),
                  minimumBinHeight: try c.decode(Float.self, forKey: .minimumBinHeight),
                  minimumDerivative: try c.decode(Float.self, forKey: .minimumDerivative))
    }

    public init(bins: Int = 8, bound: Float = 5, minimumBinWidth: Float = 1e-3, minimumBinHeight: Float = 1e-3,
                minimumDerivative: Float = 1e-3) {
        self.bins = bins
        self.bound = bound
        self.minimumBinWidth = minimumBinWidth
        self.minimumBinHeight = minimumBinHeight
        self.minimumDerivative = minimumDerivative
        derivativeShift = logf(expm1f(1 - minimumDerivative))
    }

    public var parameterCount: Int { 3 * bins - 1 }

    public func forward(count: Int, x: UnsafePointer<Float>, parameters: UnsafePointer<Float>,
                        y: UnsafeMutablePointer<Float>, logDerivative: UnsafeMutablePointer<Float>) {
        map(count: count, input: x, parameters: parameters, output: y, logDerivative: logDerivative, inverse: false)
    }

    public func inverse(count: Int, y: UnsafePointer<Float>, parameters: UnsafePointer<Float>,
                        x: UnsafeMutablePointer<Float>, logDerivative: UnsafeMutablePointer<Float>) {
        map(count: count, input: y, parameters: parameters, output: x, logDerivative: logDerivative, inverse: true)
    }

    /// The forward or inverse pass over groups of lanes; one loop for both, since they differ only in the lane
    /// kernel (the branch is taken once per group of eight elements, against a kernel of a few hundred flops).
    private func map(count: Int, input: UnsafePointer<Float>, parameters: UnsafePointer<Float>,
                     output: UnsafeMutablePointer<Float>, logDerivative: UnsafeMutablePointer<Float>, inverse: Bool) {
        forEachGroup(count: count, input: input, parameters: parameters) { group, input, parameters, stride, shares in
            let (value, ld) = inverse
                ? inverseLanes(input, parameters, stride: stride, shares: shares)
                : forwardLanes(input, parameters, stride: stride, shares: shares)
            store(value, to: output + group.lowerBound, count: group.count)
            store(ld, to: logDerivative + group.lowerBound, count: group.count)
        }
    }

    public func backward(count: Int, x: UnsafePointer<Float>, parameters: UnsafePointer<Float>,
                         outputGradient: UnsafePointer<Float>, logDerivativeGradient: UnsafePointer<Float>,
                         inputGradient: UnsafeMutablePointer<Float>, parameterGradient: UnsafeMutablePointer<Float>) {
        let p = parameterCount
        forEachGroup(count: count, input: x, parameters: parameters) { group, input, parameters, stride, shares in
            let gy = Lanes(loading: outputGradient + group.lowerBound, count: group.count)
            let gl = Lanes(loading: logDerivativeGradient + group.lowerBound, count: group.count)
            // The kernel leaves ∂L/∂φ of each lane in `shares` (P lane vectors); add them into the elements' rows.
            let gx = backwardLanes(input, parameters, stride: stride, outputGradient: gy, logDerivativeGradient: gl,
                                   shares: shares)
            store(gx, to: inputGradient + group.lowerBound, count: group.count)
            let rows = parameterGradient + group.lowerBound * p
            for lane in 0..<group.count {
                for j in 0..<p { rows[lane * p + j] += shares[j][lane] }
            }
        }
    }

    /// Runs `body` for each group of up to eight consecutive elements with the group's inputs in lanes, a pointer
    /// to lane 0's parameters, the stride between lanes' parameters, and the kernels' scratch lane vectors (after
    /// the backward kernel the first P hold the lanes' parameter gradients). A partial last group gets its inputs and parameters copied into zero-padded lanes (zero parameters are the identity
    /// map, so the padding computes harmless values that are never stored).
    @inline(__always)
    func forEachGroup(
        count: Int, input: UnsafePointer<Float>, parameters: UnsafePointer<Float>,
        _ body: (Range<Int>, Lanes, UnsafePointer<Float>, Int, UnsafeMutablePointer<Lanes>) -> Void
    ) {
        let p = parameterCount, width = Lanes.scalarCount
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: scratchCount) { shares in
            var start = 0
            while start + width <= count {
                body(start..<(start + width), Lanes(loading: input + start, count: width), parameters + start * p, p,
                     shares.baseAddress!)
                start += width
            }
            guard start < count else { return }
            let remaining = count - start
            withUnsafeTemporaryAllocation(of: Float.self, capacity: width * p) { padded in
                padded.initialize(repeating: 0)
                padded.baseAddress!.update(from: parameters + start * p, count: remaining * p)
                body(start..<count, Lanes(loading: input + start, count: remaining), padded.baseAddress!, p,
                     shares.baseAddress!)
            }
        }
    }
}

extension SIMD8 where Scalar == Float {
    /// Loads `count` ≤ 8 consecutive values; missing lanes are 0.
    @inline(__always) init(loading source: UnsafePointer<Float>, count: Int) {
        if count == Lanes.scalarCount {
            self = UnsafeRawPointer(source).loadUnaligned(as: Lanes.self)
        } else {
            self.init()
            for lane in 0..<count { self[lane] = source[lane] }
        }
    }
}

/// Stores the first `count` lanes of `value` at `target`.
@inline(__always)
func store(_ value: Lanes, to target: UnsafeMutablePointer<Float>, count: Int) {
    if count == Lanes.scalarCount {
        UnsafeMutableRawPointer(target).storeBytes(of: value, as: Lanes.self)
    } else {
        for lane in 0..<count { target[lane] = value[lane] }
    }
}
