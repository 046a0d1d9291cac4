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
/// ξ = 2c / (−b − √(b² − 4ac)). Nothing is allocated per element: the bin is found by one pass of cumulative sums.
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


    /// One located bin: left edges (xₖ, yₖ), extents (wₖ, hₖ), end slopes (δₖ, δₖ₊₁).
    struct Bin {
        var index: Int, x: Float, width: Float, y: Float, height: Float, leftSlope: Float, rightSlope: Float
    }

    @inline(__always)
    func slope(_ k: Int, _ p: UnsafePointer<Float>) -> Float {
        if k == 0 || k == bins { return 1 }
        let raw = p[2 * bins + k - 1] + derivativeShift
        // softplus; logf(1 + e) rather than log1pf(e): e ≤ 1, so the absolute error stays below 1e-7 and
        // glibc's logf has a fast FMA path that log1pf lacks.
        return minimumDerivative + max(raw, 0) + logf(1 + fastExp(-abs(raw)))
    }

    /// Runs `body` with softmax(u_w) and softmax(u_h) in a stack buffer (K values each): every exponential is
    /// computed once per element, and shared by the bin search and the backward rule.
    @inline(__always)
    func withSoftmax<R>(_ p: UnsafePointer<Float>, _ body: (UnsafePointer<Float>, UnsafePointer<Float>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * bins) { buffer in
            let widths = buffer.baseAddress!, heights = widths + bins
            Self.softmax(p, count: bins, into: widths)
            Self.softmax(p + bins, count: bins, into: heights)
            return body(widths, heights)
        }
    }

    @inline(__always)
    static func softmax(_ u: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        var largest = -Float.infinity
        for k in 0..<count { largest = max(largest, u[k]) }
        // Exponentials in their own loop (independent, so they pipeline and vectorise), then the sum.
        for k in 0..<count { out[k] = fastExp(u[k] - largest) }
        var sum: Float = 0
        for k in 0..<count { sum += out[k] }
        let inverse = 1 / sum
        for k in 0..<count { out[k] *= inverse }
    }

    /// Finds the bin holding `value` along x (`alongY == false`) or along y, from the softmax values.
    @inline(__always)
    func locate(_ value: Float, _ p: UnsafePointer<Float>, widths: UnsafePointer<Float>, heights: UnsafePointer<Float>,
                alongY: Bool) -> Bin {
        let span = 2 * bound
        let scaleW = 1 - Float(bins) * minimumBinWidth, scaleH = 1 - Float(bins) * minimumBinHeight
        var x = -bound, y = -bound
        for k in 0..<bins {
            let w = span * (minimumBinWidth + scaleW * widths[k])
            let h = span * (minimumBinHeight + scaleH * heights[k])
            if k == bins - 1 || (alongY ? value < y + h : value < x + w) {
                return Bin(index: k, x: x, width: w, y: y, height: h, leftSlope: slope(k, p), rightSlope: slope(k + 1, p))
            }
            x += w; y += h
        }
        fatalError("unreachable: the last bin always matches")
    }

    @inline(__always)
    static func evaluate(_ b: Bin, _ xi: Float) -> (y: Float, logDerivative: Float) {
        let s = b.height / b.width, t = xi * (1 - xi)
        let numerator = b.height * (s * xi * xi + b.leftSlope * t)
        let denominator = s + (b.rightSlope + b.leftSlope - 2 * s) * t
        let a = b.rightSlope * xi * xi + 2 * s * t + b.leftSlope * (1 - xi) * (1 - xi)
        let ratio = s / denominator
        return (b.y + numerator / denominator, logf(ratio * ratio * a))  // one log instead of three
    }

    public func forward(_ x: Float, _ p: UnsafePointer<Float>) -> (y: Float, logDerivative: Float) {
        guard x > -bound, x < bound else { return (x, 0) }
        let b = withSoftmax(p) { locate(x, p, widths: $0, heights: $1, alongY: false) }
        let xi = min(max((x - b.x) / b.width, 0), 1)
        return Self.evaluate(b, xi)
    }

    public func inverse(_ y: Float, _ p: UnsafePointer<Float>) -> (x: Float, logDerivative: Float) {
        guard y > -bound, y < bound else { return (y, 0) }
        let b = withSoftmax(p) { locate(y, p, widths: $0, heights: $1, alongY: true) }
        let s = b.height / b.width, delta = y - b.y
        let curvature = b.rightSlope + b.leftSlope - 2 * s
        let qa = b.height * (s - b.leftSlope) + delta * curvature
        let qb = b.height * b.leftSlope - delta * curvature
        let qc = -s * delta
        let root = max(qb * qb - 4 * qa * qc, 0).squareRoot()
        let xi = min(max(2 * qc / (-qb - root), 0), 1)
        return (b.x + xi * b.width, Self.evaluate(b, xi).logDerivative)
    }

    /// Hand-derived vector–Jacobian product: the partial derivatives of g and log g′ with respect to the bin
    /// quantities (ξ, s, h, δₖ, δₖ₊₁), chained through ξ = (x − xₖ)/w, s = h/w, then through the cumulative sums
    /// and the softmax (∂softmaxᵢ/∂uⱼ = sᵢ(1[i=j] − sⱼ)) and the softplus. Checked against finite differences.
    public func backward(
        _ x: Float, _ p: UnsafePointer<Float>, outputGradient gy: Float, logDerivativeGradient gl: Float,
        parameterGradient gp: UnsafeMutablePointer<Float>
    ) -> Float {
        guard x > -bound, x < bound else { return gy }
        return withSoftmax(p) { widths, heights in
            backward(x, p, widths: widths, heights: heights, outputGradient: gy, logDerivativeGradient: gl, parameterGradient: gp)
        }
    }

    @inline(__always)
    private func backward(
        _ x: Float, _ p: UnsafePointer<Float>, widths: UnsafePointer<Float>, heights: UnsafePointer<Float>,
        outputGradient gy: Float, logDerivativeGradient gl: Float, parameterGradient gp: UnsafeMutablePointer<Float>
    ) -> Float {
        let b = locate(x, p, widths: widths, heights: heights, alongY: false)
        let w = b.width, h = b.height, d0 = b.leftSlope, d1 = b.rightSlope
        let xi = min(max((x - b.x) / w, 0), 1)
        let s = h / w, t = xi * (1 - xi), curvature = d1 + d0 - 2 * s
        let numerator = h * (s * xi * xi + d0 * t)
        let den = s + curvature * t
        let a = d1 * xi * xi + 2 * s * t + d0 * (1 - xi) * (1 - xi)
        let q = numerator / (den * den)
        // ∂y/∂·
        let yXi = h * (2 * s * xi + d0 * (1 - 2 * xi)) / den - q * curvature * (1 - 2 * xi)
        let yS = h * xi * xi / den - q * (1 - 2 * t)
        let yH = (s * xi * xi + d0 * t) / den
        let yD0 = h * t / den - q * t
        let yD1 = -q * t
        // ∂(log g′)/∂·
        let lXi = (2 * d1 * xi + 2 * s * (1 - 2 * xi) - 2 * d0 * (1 - xi)) / a - 2 * curvature * (1 - 2 * xi) / den
        let lS = 2 / s + 2 * t / a - 2 * (1 - 2 * t) / den
        let lD0 = (1 - xi) * (1 - xi) / a - 2 * t / den
        let lD1 = xi * xi / a - 2 * t / den

        let gXi = gy * yXi + gl * lXi, gS = gy * yS + gl * lS
        let gLeftX = -gXi / w
        let gWidth = -(gXi * xi + gS * s) / w
        let gHeight = gy * yH + gS / w
        let gLeftY = gy

        // Widths: xₖ = −B + 2B Σ_{j<k} Wⱼ, wₖ = 2B Wₖ, W = m + (1 − Km) softmax(u).
        backpropagateSoftmax(widths, offset: 0, minimum: minimumBinWidth, k: b.index, gradientLeft: gLeftX,
                             gradientExtent: gWidth, into: gp)
        backpropagateSoftmax(heights, offset: bins, minimum: minimumBinHeight, k: b.index, gradientLeft: gLeftY,
                             gradientExtent: gHeight, into: gp)
        let k = b.index
        if k > 0 { gp[2 * bins + k - 1] += (gy * yD0 + gl * lD0) * sigmoid(p[2 * bins + k - 1] + derivativeShift) }
        if k + 1 < bins { gp[2 * bins + k] += (gy * yD1 + gl * lD1) * sigmoid(p[2 * bins + k] + derivativeShift) }
        return gXi / w
    }

    /// Adds ∂L/∂u for u ↦ (left edge of bin k, extent of bin k) through the cumulative sum and the softmax
    /// values `softmax` (K), into `gp[offset ..< offset + K]`.
    @inline(__always)
    private func backpropagateSoftmax(
        _ softmax: UnsafePointer<Float>, offset: Int, minimum: Float, k: Int, gradientLeft: Float, gradientExtent: Float,
        into gp: UnsafeMutablePointer<Float>
    ) {
        let span = 2 * bound, factor = 1 - Float(bins) * minimum
        // G_j = ∂L/∂W_j = 2B (gradientLeft·1[j<k] + gradientExtent·1[j=k]); Σ sⱼGⱼ in one pass.
        var weighted: Float = 0
        for j in 0..<k { weighted += softmax[j] }
        weighted = span * (weighted * gradientLeft + softmax[k] * gradientExtent)
        for j in 0..<bins {
            let gj = j < k ? span * gradientLeft : (j == k ? span * gradientExtent : 0)
            gp[offset + j] += factor * softmax[j] * (gj - weighted)
        }
    }

    @inline(__always)
    private func sigmoid(_ v: Float) -> Float { let e = fastExp(-abs(v)); return v >= 0 ? 1 / (1 + e) : e / (1 + e) }
}
