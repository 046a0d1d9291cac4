/// The rational-quadratic spline's kernels on eight elements at once, one per lane (see
/// ``RationalQuadraticSpline`` for the map and ``Lanes`` for the lane arithmetic).
///
/// Every lane runs the same instructions: the bin search keeps, per lane, the last bin whose left edge the value
/// has reached, by masked replacement as the cumulative sums grow, instead of branching out of the loop.

/// Each lane's bin: left edges (xₖ, yₖ), extents (wₖ, hₖ), end slopes (δₖ, δₖ₊₁), and what the backward rule
/// needs besides: k, the raw knot-slope arguments u_δ + c, the softmax shares of bin k and the shares before it.
struct LaneBin {
    var index: Lanes
    var left: Lanes, width: Lanes, bottom: Lanes, height: Lanes
    var leftSlope: Lanes, rightSlope: Lanes
    var leftSlopeArgument: Lanes, rightSlopeArgument: Lanes
    var widthShare: Lanes, heightShare: Lanes
    var widthShareBefore: Lanes, heightShareBefore: Lanes
}

extension RationalQuadraticSpline {
    /// Lane vectors of scratch ``locate(_:alongY:_:stride:shares:)`` needs: the P parameters' softmaxes and
    /// logits, then per bin its left edges along x and y and the softmax shares before it along x and y.
    var scratchCount: Int { parameterCount + 4 * bins }

    /// Softmaxes of the width and height logits into `shares[0 ..< K]` and `shares[K ..< 2K]`, the raw knot-slope
    /// logits into `shares[2K ..< 3K − 1]`, then the bin of `value` along x (`alongY == false`) or along y.
    ///
    /// The scan over the bins only accumulates and stores the edges and moves each lane's bin index; the bin's
    /// quantities are then read per lane from the stored tables (eight loads each), which is cheaper than carrying
    /// every quantity through masked replacement at every bin.
    @inline(__always)
    func locate(_ value: Lanes, alongY: Bool, _ p: UnsafePointer<Float>, stride: Int,
                shares: UnsafeMutablePointer<Lanes>) -> LaneBin {
        let k = bins
        for j in 0..<parameterCount { shares[j] = Lanes(gathering: p + j, stride: stride) }
        for half in 0..<2 {
            let offset = half * k
            var largest = shares[offset]
            for j in 1..<k { largest = largest.lanesMax(shares[offset + j]) }
            var sum = Lanes()
            for j in 0..<k {
                let e = fastExp(shares[offset + j] - largest)
                shares[offset + j] = e
                sum += e
            }
            let inverse = 1 / sum
            for j in 0..<k { shares[offset + j] *= inverse }
        }

        let span = 2 * bound
        let scaleW = 1 - Float(k) * minimumBinWidth, scaleH = 1 - Float(k) * minimumBinHeight
        let edgesX = shares + parameterCount, edgesY = edgesX + k, beforeW = edgesY + k, beforeH = beforeW + k
        var edgeX = Lanes(repeating: -bound), edgeY = edgeX, cumulativeW = Lanes(), cumulativeH = Lanes()
        var index = Lanes()
        for j in 0..<k {
            if j > 0 {
                let reached = alongY ? value .>= edgeY : value .>= edgeX
                index.replace(with: Lanes(repeating: Float(j)), where: reached)
            }
            edgesX[j] = edgeX
            edgesY[j] = edgeY
            beforeW[j] = cumulativeW
            beforeH[j] = cumulativeH
            let sw = shares[j], sh = shares[k + j]
            edgeX += span * (minimumBinWidth + scaleW * sw)
            edgeY += span * (minimumBinHeight + scaleH * sh)
            cumulativeW += sw
            cumulativeH += sh
        }
        var rows = SIMD8<Int>(), below = SIMD8<Int>(), above = SIMD8<Int>()
        for lane in 0..<Lanes.scalarCount {
            rows[lane] = Int(index[lane])
            below[lane] = max(rows[lane] - 1, 0)  // logit of knot k (k ≥ 1; bin 0's left slope is fixed)
            above[lane] = min(rows[lane], k - 2)  // logit of knot k + 1 (k ≤ K − 2; the last bin's is fixed)
        }
        let widthShare = pick(shares, rows), heightShare = pick(shares + k, rows)
        let shift = Lanes(repeating: derivativeShift)
        let leftSlopeArgument = k > 1 ? pick(shares + 2 * k, below) + shift : shift
        let rightSlopeArgument = k > 1 ? pick(shares + 2 * k, above) + shift : shift
        // δ₀ = δ_K = 1 (the identity tails' slope); interior knots m_δ + softplus(u_δ + c).
        let one = Lanes(repeating: 1)
        return LaneBin(
            index: index, left: pick(edgesX, rows), width: span * (minimumBinWidth + scaleW * widthShare),
            bottom: pick(edgesY, rows), height: span * (minimumBinHeight + scaleH * heightShare),
            leftSlope: (minimumDerivative + softplus(leftSlopeArgument)).replacing(with: one, where: index .== 0),
            rightSlope: (minimumDerivative + softplus(rightSlopeArgument))
                .replacing(with: one, where: index .== Lanes(repeating: Float(k - 1))),
            leftSlopeArgument: leftSlopeArgument, rightSlopeArgument: rightSlopeArgument,
            widthShare: widthShare, heightShare: heightShare,
            widthShareBefore: pick(beforeW, rows), heightShareBefore: pick(beforeH, rows))
    }

    /// `table[rows[lane]][lane]` for each lane: a per-lane lookup in a column of lane vectors.
    @inline(__always)
    func pick(_ table: UnsafePointer<Lanes>, _ rows: SIMD8<Int>) -> Lanes {
        let raw = UnsafeRawPointer(table)
        var result = Lanes()
        for lane in 0..<Lanes.scalarCount {
            result[lane] = raw.load(fromByteOffset: (rows[lane] * Lanes.scalarCount + lane) * 4, as: Float.self)
        }
        return result
    }

    /// g at ξ inside `bin`, and log g′ (one logarithm: log[(s/den)² a]).
    @inline(__always)
    func evaluate(_ bin: LaneBin, _ xi: Lanes) -> (y: Lanes, logDerivative: Lanes) {
        let s = bin.height / bin.width, t = xi * (1 - xi), oneMinus = 1 - xi
        let numerator = bin.height * (s * xi * xi + bin.leftSlope * t)
        let denominator = s + (bin.rightSlope + bin.leftSlope - 2 * s) * t
        let a = bin.rightSlope * xi * xi + 2 * s * t + bin.leftSlope * oneMinus * oneMinus
        let ratio = s / denominator
        return (bin.bottom + numerator / denominator, fastLog(ratio * ratio * a))
    }

    @inline(__always)
    func isInside(_ v: Lanes) -> SIMDMask<LaneBits> { (v .> -bound) .& (v .< bound) }

    @inline(__always)
    func forwardLanes(_ x: Lanes, _ p: UnsafePointer<Float>, stride: Int,
                      shares: UnsafeMutablePointer<Lanes>) -> (y: Lanes, logDerivative: Lanes) {
        let bin = locate(x, alongY: false, p, stride: stride, shares: shares)
        let (y, ld) = evaluate(bin, ((x - bin.left) / bin.width).clamped(0, 1))
        let inside = isInside(x)
        return (x.replacing(with: y, where: inside), Lanes().replacing(with: ld, where: inside))
    }

    @inline(__always)
    func inverseLanes(_ y: Lanes, _ p: UnsafePointer<Float>, stride: Int,
                      shares: UnsafeMutablePointer<Lanes>) -> (x: Lanes, logDerivative: Lanes) {
        let bin = locate(y, alongY: true, p, stride: stride, shares: shares)
        let s = bin.height / bin.width, delta = y - bin.bottom
        let curvature = bin.rightSlope + bin.leftSlope - 2 * s
        let qa = bin.height * (s - bin.leftSlope) + delta * curvature
        let qb = bin.height * bin.leftSlope - delta * curvature
        let qc = -s * delta
        let root = (qb * qb - 4 * qa * qc).lanesMax(Lanes()).laneSquareRoot
        let xi = (2 * qc / (-qb - root)).clamped(0, 1)
        let ld = evaluate(bin, xi).logDerivative
        let inside = isInside(y)
        return (y.replacing(with: bin.left + xi * bin.width, where: inside), Lanes().replacing(with: ld, where: inside))
    }

    /// Hand-derived vector–Jacobian product: the partial derivatives of g and log g′ with respect to the bin
    /// quantities (ξ, s, h, δₖ, δₖ₊₁), chained through ξ = (x − xₖ)/w, s = h/w, then through the cumulative sums
    /// and the softmax (∂softmaxᵢ/∂uⱼ = sᵢ(1[i=j] − sⱼ)) and the softplus. Checked against finite differences.
    ///
    /// Returns ∂L/∂x and leaves ∂L/∂φ of each lane in `shares[0 ..< P]`.
    @inline(__always)
    func backwardLanes(_ x: Lanes, _ p: UnsafePointer<Float>, stride: Int, outputGradient gy: Lanes,
                       logDerivativeGradient gl: Lanes, shares: UnsafeMutablePointer<Lanes>) -> Lanes {
        let bin = locate(x, alongY: false, p, stride: stride, shares: shares)
        let w = bin.width, h = bin.height, d0 = bin.leftSlope, d1 = bin.rightSlope
        let xi = ((x - bin.left) / w).clamped(0, 1), oneMinus: Lanes = 1 - xi
        let s: Lanes = h / w, t: Lanes = xi * oneMinus, two = Lanes(repeating: 2)
        let curvature: Lanes = d1 + d0 - two * s, tilt: Lanes = 1 - two * xi, flat: Lanes = 1 - two * t
        let xi2: Lanes = xi * xi, oneMinus2: Lanes = oneMinus * oneMinus
        let core: Lanes = s * xi2 + d0 * t
        let den: Lanes = s + curvature * t
        let a: Lanes = d1 * xi2 + two * s * t + d0 * oneMinus2
        let inverseDen: Lanes = 1 / den, inverseA: Lanes = 1 / a
        let q: Lanes = h * core * inverseDen * inverseDen
        let twoT: Lanes = two * t * inverseDen
        // ∂y/∂·
        let slopeTerm: Lanes = two * s * xi + d0 * tilt
        let yXi: Lanes = h * slopeTerm * inverseDen - q * curvature * tilt
        let yS: Lanes = h * xi2 * inverseDen - q * flat
        let yH: Lanes = core * inverseDen
        let yD0: Lanes = h * t * inverseDen - q * t
        let yD1: Lanes = Lanes() - q * t
        // ∂(log g′)/∂·
        let aXi: Lanes = two * (d1 * xi + s * tilt - d0 * oneMinus)
        let lXi: Lanes = aXi * inverseA - two * curvature * tilt * inverseDen
        let lS: Lanes = two / s + two * t * inverseA - two * flat * inverseDen
        let lD0: Lanes = oneMinus2 * inverseA - twoT
        let lD1: Lanes = xi2 * inverseA - twoT

        // Lanes in the identity tails get no parameter gradient and pass ∂L/∂y through.
        let inside = isInside(x), outside = .!inside
        let gXi: Lanes = (gy * yXi + gl * lXi).replacing(with: 0, where: outside)
        let gS: Lanes = (gy * yS + gl * lS).replacing(with: 0, where: outside)
        let gyInside: Lanes = gy.replacing(with: 0, where: outside)
        let inverseW: Lanes = 1 / w
        let gradientLeftX: Lanes = Lanes() - gXi * inverseW
        let gradientWidth: Lanes = Lanes() - (gXi * xi + gS * s) * inverseW
        let gradientHeight: Lanes = gyInside * yH + gS * inverseW

        // Widths: xₖ = −B + 2B Σ_{j<k} Wⱼ, wₖ = 2B Wₖ, W = m + (1 − Km) softmax(u); heights likewise with y.
        backpropagateSoftmax(shares, index: bin.index, minimum: minimumBinWidth, before: bin.widthShareBefore,
                             share: bin.widthShare, gradientLeft: gradientLeftX, gradientExtent: gradientWidth)
        backpropagateSoftmax(shares + bins, index: bin.index, minimum: minimumBinHeight, before: bin.heightShareBefore,
                             share: bin.heightShare, gradientLeft: gyInside, gradientExtent: gradientHeight)
        // Knot slopes: only δₖ (knot k, logit k − 1) and δₖ₊₁ (logit k) depend on the parameters; the boundary
        // slopes are constants, which the index masks below exclude.
        let gD0: Lanes = (gyInside * yD0 + gl * lD0).replacing(with: 0, where: outside) * sigmoid(bin.leftSlopeArgument)
        let gD1: Lanes = (gyInside * yD1 + gl * lD1).replacing(with: 0, where: outside) * sigmoid(bin.rightSlopeArgument)
        for j in 0..<(bins - 1) {
            let knot = Lanes(repeating: Float(j))
            shares[2 * bins + j] = Lanes().replacing(with: gD0, where: bin.index .== knot + 1)
                + Lanes().replacing(with: gD1, where: bin.index .== knot)
        }
        return gy.replacing(with: gXi * inverseW, where: inside)
    }

    /// Replaces the softmax shares `shares[0 ..< K]` by ∂L/∂u for u ↦ (left edge of bin k, extent of bin k)
    /// through the cumulative sum and the softmax: with Gⱼ = ∂L/∂Wⱼ = 2B(gradientLeft·1[j<k] +
    /// gradientExtent·1[j=k]), ∂L/∂uⱼ = (1 − Km) sⱼ (Gⱼ − Σᵢ sᵢGᵢ).
    @inline(__always)
    private func backpropagateSoftmax(
        _ shares: UnsafeMutablePointer<Lanes>, index: Lanes, minimum: Float, before: Lanes, share: Lanes,
        gradientLeft: Lanes, gradientExtent: Lanes
    ) {
        let span = 2 * bound, factor = 1 - Float(bins) * minimum
        let left = span * gradientLeft, extent = span * gradientExtent
        let weighted = before * left + share * extent
        for j in 0..<bins {
            let position = Lanes(repeating: Float(j))
            let g = Lanes().replacing(with: left, where: position .< index).replacing(with: extent, where: position .== index)
            shares[j] = factor * shares[j] * (g - weighted)
        }
    }
}
