/// e^{−x} for x ≥ 0, four lanes at a time, to about 1 ulp of Float.
///
/// Range reduction x·log2(e) = n + r/ln 2 with n rounded by the 1.5·2²³ trick (SSE2 has no round instruction), a
/// degree-7 Taylor polynomial on |r| ≤ ln2/2 (truncation error < 5e-9 relative), and 2ⁿ built in the exponent bits.
/// x is clamped at 87, so larger arguments return e^{−87} ≈ 1.6e-38 instead of 0: below Float resolution of every
/// quantity it is added to or subtracted from.
@inline(__always)
func negativeExponential(_ x: SIMD4<Float>) -> SIMD4<Float> {
    let magic: Float = 12_582_912  // 1.5 · 2^23
    // min(x, 87) lane by lane: scalar minss is cheaper here than Swift's SIMD comparisons, which are scalarised
    // without SSE4, and its pointwiseMin, an out-of-line call with NaN handling.
    let t = -SIMD4<Float>(Swift.min(x[0], 87), Swift.min(x[1], 87), Swift.min(x[2], 87), Swift.min(x[3], 87))
    let shifted = t * 1.442_695_04 + magic
    let n = shifted - magic
    let r = (t - n * 0.693_145_75) - n * 1.428_606_8e-6
    var p: SIMD4<Float> = r * (1.0 / 5040) + (1.0 / 720)
    p = p * r + (1.0 / 120)
    p = p * r + (1.0 / 24)
    p = p * r + (1.0 / 6)
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    // The low mantissa bits of `shifted` hold n; add the exponent bias and move it into place.
    let integer = unsafeBitCast(shifted, to: SIMD4<Int32>.self) &- 0x4B40_0000
    let scale = unsafeBitCast((integer &+ 127) &<< 23, to: SIMD4<Float>.self)
    return p * scale
}

extension TransmissionModel {
    /// A chord whose optical depth is known to exceed this is opaque to Float precision: e^{−40} ≈ 4e-18, and
    /// 1 − 4e-18 rounds to exactly 1, so skipping the rest of its sum changes nothing.
    static let opaqueDepth: Float = 40

    /// Steps 6, 9, 10: chord optical depths, layer transmissions and the transit depth per bin.
    func integrateChords(
        column: ColumnSummary, workspace ws: TransmissionWorkspace, output: UnsafeMutableBufferPointer<Double>
    ) {
        let n = TransmissionModelConfiguration.layerCount, bins = binCount
        let m = column.distinctLayerCount
        // Continuum chord depths, vectorised over bins: τc[i][b] = Σ_{j ≥ i} dl_ij κc[j][b]. The merged layers
        // j ≥ m (isothermal, so one Rayleigh sum R_b and one CIA sum C_b per bin) have κc = n_j R_b + n_j² C_b, so
        // their terms are R_b Σ dl_ij n_j + C_b Σ dl_ij n_j²: two sums per chord from the column, in Double (n² would
        // overflow Float), instead of N − m terms per chord and bin.
        for i in 0..<n {
            let out = ws.continuumDepth + i * bins
            out.update(repeating: 0, count: bins)
            let row = ws.pathLength + i * n
            for j in i..<max(i, m) {
                let dl = row[j], source = ws.continuum + j * bins
                for b in 0..<bins { out[b] += dl * source[b] }
            }
            if m < n {
                let column = ws.mergedColumn[i], squared = ws.mergedColumnSquared[i]
                for b in 0..<bins { out[b] += Float(column * ws.rayleighSum[b] + squared * ws.collisionSum[b]) }
            }
        }
        let vectors = ws.gVectorCount
        precondition(vectors == 5, "the chord kernel is unrolled for 20 g-points")
        let planetRadius = column.planetRadius
        let columns = column.columnCount
        // Row i of the line kernel runs over columns start(i)..<columns of chordWeights.
        func start(_ i: Int) -> Int { min(i, m) }
        let depths = ws.chordDepths
        let w0 = weightVectors[0], w1 = weightVectors[1], w2 = weightVectors[2], w3 = weightVectors[3]
        let w4 = weightVectors[4]
        for b in 0..<bins {
            var sum = 0.0
            for i in 0..<column.cloudLayerCount { sum += ws.area[i] }
            let kappa = UnsafePointer(ws.kappa + b * n * vectors)
            func store(_ d: GDepths, _ i: Int) {
                let c = SIMD4<Float>(repeating: ws.continuumDepth[i * bins + b]), out = depths + i * 5
                out[0] = d.0 + c; out[1] = d.1 + c; out[2] = d.2 + c; out[3] = d.3 + c; out[4] = d.4 + c
            }
            // From the bottom up, skip opaque layers until the first one that is not.
            var i = column.cloudLayerCount
            var firstComputed = n
            while i < n {
                let (d, complete) = Self.chordDepthsUnlessOpaque(
                    row: ws.chordWeights + i * columns, kappa: kappa, from: start(i), to: columns,
                    continuumDepth: ws.continuumDepth[i * bins + b])
                i += 1
                guard complete else { sum += ws.area[i - 1]; continue }
                store(d, i - 1)
                firstComputed = i - 1
                break
            }
            // The rest two chords at a time: they share every κ load.
            while i + 1 < n {
                let (lower, upper) = Self.chordDepthPair(
                    first: ws.chordWeights + i * columns, second: ws.chordWeights + (i + 1) * columns,
                    kappa: kappa, firstStart: start(i), secondStart: start(i + 1), end: columns)
                store(lower, i)
                store(upper, i + 1)
                i += 2
            }
            if i < n {
                let (d, _) = Self.chordDepthsUnlessOpaque(
                    row: ws.chordWeights + i * columns, kappa: kappa, from: start(i), to: columns,
                    continuumDepth: -.infinity)
                store(d, i)
            }
            // From the top down, thin layers (every τ below ``thinDepth``) need no exponential: their absorbed
            // fraction comes from the series (``thinAbsorption(_:weights:)``).
            var end = n
            while end > firstComputed, let absorbed = Self.thinAbsorption(depths + (end - 1) * 5, weights: (w0, w1, w2, w3, w4)) {
                sum += ws.area[end - 1] * Double(absorbed)
                end -= 1
            }
            // One tight loop of exponentials (constants stay in registers), then the weighted sums per layer.
            if firstComputed < end {
                for v in (firstComputed * 5)..<(end * 5) { depths[v] = negativeExponential(depths[v]) }
            }
            for layer in firstComputed..<max(firstComputed, end) {
                let e = depths + layer * 5
                let transmission = (w0 * e[0] + w1 * e[1] + w2 * e[2] + w3 * e[3] + w4 * e[4]).sum()
                sum += ws.area[layer] * Double(1 - transmission)
            }
            output[b] = (planetRadius * planetRadius + sum) / (column.starRadius * column.starRadius)
        }
    }

    /// Below this optical depth on every g-point a chord is thin: the series of ``thinAbsorption(_:weights:)``
    /// then has a relative truncation error below τ⁴/120 ≈ 3e-10, far under Float's 6e-8. (A wider threshold
    /// with one more term counted more instructions under callgrind: the layers it adds are few, the extra term
    /// costs every thin layer.)
    static let thinDepth: Float = 1.0 / 64

    /// Σ_g w_g (1 − e^{−τ_g}) of one chord's five depth vectors when every τ is below ``thinDepth``, from
    /// 1 − e^{−τ} = τ(1 − τ/2 (1 − τ/3 (1 − τ/4))) + O(τ⁵); nil otherwise. It is the absorbed fraction 1 − T that
    /// the exponentials would give, without their cancellation (T rounds to within 6e-8 of 1 in Float).
    @inline(__always)
    static func thinAbsorption(
        _ d: UnsafePointer<SIMD4<Float>>, weights w: (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>)
    ) -> Float? {
        let d0 = d[0], d1 = d[1], d2 = d[2], d3 = d[3], d4 = d[4]
        // Scalar maximum, as the opacity check's minimum: Swift's SIMD pointwiseMax is an out-of-line call.
        var largest = d0[0]
        for lane in 0..<4 { largest = Swift.max(largest, d0[lane], d1[lane], d2[lane], Swift.max(d3[lane], d4[lane])) }
        guard largest < Self.thinDepth else { return nil }
        func series(_ t: SIMD4<Float>) -> SIMD4<Float> {
            let one = SIMD4<Float>(repeating: 1)
            let third: SIMD4<Float> = one - t * 0.25
            let second: SIMD4<Float> = one - t * (1.0 / 3) * third
            let first: SIMD4<Float> = one - t * 0.5 * second
            return t * first
        }
        var total: SIMD4<Float> = w.0 * series(d0)
        total += w.1 * series(d1)
        total += w.2 * series(d2)
        total += w.3 * series(d3)
        total += w.4 * series(d4)
        return total.sum()
    }

    /// The 20 line optical depths of one chord, as five 4-lane vectors.
    typealias GDepths = (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>)

    /// τ_g = Σ_{j ≥ i} dl_ij κ_jg for one chord. The sum stops early (returning `complete == false`) once
    /// min_g τ_g + τ_c exceeds ``opaqueDepth``: the remaining terms are non-negative, so the chord is opaque whatever
    /// they are.
    @inline(__always)
    static func chordDepthsUnlessOpaque(
        row: UnsafePointer<Float>, kappa: UnsafePointer<SIMD4<Float>>, from i: Int, to n: Int,
        continuumDepth: Float
    ) -> (GDepths, complete: Bool) {
        var a0 = SIMD4<Float>(), a1 = SIMD4<Float>(), a2 = SIMD4<Float>(), a3 = SIMD4<Float>(), a4 = SIMD4<Float>()
        var j = i
        while j < n {
            let end = min(j + 4, n)
            while j < end {
                let dl = row[j], k = kappa + j * 5
                a0 += dl * k[0]; a1 += dl * k[1]; a2 += dl * k[2]; a3 += dl * k[3]; a4 += dl * k[4]
                j += 1
            }
            // Scalar minimum: Swift's SIMD pointwiseMin is an out-of-line call on baseline x86-64.
            var smallest = a0[0]
            for lane in 0..<4 {
                smallest = Swift.min(smallest, a0[lane], a1[lane], a2[lane], Swift.min(a3[lane], a4[lane]))
            }
            if smallest + continuumDepth > opaqueDepth { return ((a0, a1, a2, a3, a4), false) }
        }
        return ((a0, a1, a2, a3, a4), true)
    }

    /// τ_g for two chords together over the columns `firstStart..<end` and `secondStart..<end`
    /// (`secondStart` ≥ `firstStart`), sharing the κ loads of their common columns.
    @inline(__always)
    static func chordDepthPair(
        first: UnsafePointer<Float>, second: UnsafePointer<Float>, kappa: UnsafePointer<SIMD4<Float>>,
        firstStart: Int, secondStart: Int, end: Int
    ) -> (GDepths, GDepths) {
        var a0 = SIMD4<Float>(), a1 = SIMD4<Float>(), a2 = SIMD4<Float>(), a3 = SIMD4<Float>(), a4 = SIMD4<Float>()
        var b0 = SIMD4<Float>(), b1 = SIMD4<Float>(), b2 = SIMD4<Float>(), b3 = SIMD4<Float>(), b4 = SIMD4<Float>()
        var j = firstStart
        while j < secondStart {
            let d = first[j], k = kappa + j * 5
            a0 += d * k[0]; a1 += d * k[1]; a2 += d * k[2]; a3 += d * k[3]; a4 += d * k[4]
            j += 1
        }
        while j < end {
            let k = kappa + j * 5, d = first[j], e = second[j]
            let k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4]
            a0 += d * k0; a1 += d * k1; a2 += d * k2; a3 += d * k3; a4 += d * k4
            b0 += e * k0; b1 += e * k1; b2 += e * k2; b3 += e * k3; b4 += e * k4
            j += 1
        }
        return ((a0, a1, a2, a3, a4), (b0, b1, b2, b3, b4))
    }
}
