/// e^{−x} for x ≥ 0, four lanes at a time, to about 1 ulp of Float.
///
/// Range reduction x·log2(e) = n + r/ln 2 with n rounded by the 1.5·2²³ trick (SSE2 has no round instruction), a
/// degree-7 Taylor polynomial on |r| ≤ ln2/2 (truncation error < 5e-9 relative), and 2ⁿ built in the exponent bits.
/// Lanes with x > 87 return 0 (e^{−87} ≈ 1.6e-38, the smallest normal Float).
@inline(__always)
func negativeExponential(_ x: SIMD4<Float>) -> SIMD4<Float> {
    let magic: Float = 12_582_912  // 1.5 · 2^23
    let t = -x.replacing(with: 87, where: x .> 87)
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
    return (p * scale).replacing(with: 0, where: x .> 87)
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
        // Continuum chord depths, vectorised over bins: τc[i][b] = Σ_{j ≥ i} dl_ij κc[j][b].
        for i in 0..<n {
            let out = ws.continuumDepth + i * bins
            out.update(repeating: 0, count: bins)
            let row = ws.pathLength + i * n
            for j in i..<n {
                let dl = row[j], source = ws.continuum + j * bins
                for b in 0..<bins { out[b] += dl * source[b] }
            }
        }
        let vectors = ws.gVectorCount
        let planetRadius = column.planetRadius
        weightVectors.withUnsafeBufferPointer { weights in
            for b in 0..<bins {
                var sum = 0.0
                let kappa = ws.kappa + b * n * vectors
                var checkOpacity = true
                for i in column.cloudLayerCount..<n {
                    let absorbed = layerAbsorption(
                        layer: i, kappa: kappa, continuumDepth: ws.continuumDepth[i * bins + b], workspace: ws,
                        weights: weights, checkOpacity: &checkOpacity)
                    sum += ws.area[i] * Double(absorbed)
                }
                for i in 0..<column.cloudLayerCount { sum += ws.area[i] }
                output[b] = (planetRadius * planetRadius + sum) / (column.starRadius * column.starRadius)
            }
        }
    }

    /// 1 − Σ_g w_g e^{−(τ_g + τ_c)} for the chord tangent at `layer`.
    ///
    /// While `checkOpacity` is set (from the bottom up, until the first layer that is not opaque), the sum over j stops
    /// as soon as min_g τ_g + τ_c exceeds ``opaqueDepth``: the remaining terms are non-negative, so the layer is
    /// opaque whatever they are.
    @inline(__always)
    private func layerAbsorption(
        layer i: Int, kappa: UnsafeMutablePointer<SIMD4<Float>>, continuumDepth: Float,
        workspace ws: TransmissionWorkspace, weights: UnsafeBufferPointer<SIMD4<Float>>, checkOpacity: inout Bool
    ) -> Float {
        let n = TransmissionModelConfiguration.layerCount, vectors = ws.gVectorCount
        let row = ws.pathLength + i * n
        precondition(vectors == 5, "the chord kernel is unrolled for 20 g-points")
        var a0 = SIMD4<Float>(), a1 = SIMD4<Float>(), a2 = SIMD4<Float>(), a3 = SIMD4<Float>(), a4 = SIMD4<Float>()
        var j = i
        if checkOpacity {
            while j < n {
                let end = min(j + 4, n)
                while j < end {
                    let dl = row[j], k = kappa + j * 5
                    a0 += dl * k[0]; a1 += dl * k[1]; a2 += dl * k[2]; a3 += dl * k[3]; a4 += dl * k[4]
                    j += 1
                }
                let smallest = pointwiseMin(pointwiseMin(pointwiseMin(a0, a1), pointwiseMin(a2, a3)), a4).min()
                if smallest + continuumDepth > Self.opaqueDepth { return 1 }
            }
            checkOpacity = false
        } else {
            while j < n {
                let dl = row[j], k = kappa + j * 5
                a0 += dl * k[0]; a1 += dl * k[1]; a2 += dl * k[2]; a3 += dl * k[3]; a4 += dl * k[4]
                j += 1
            }
        }
        let c = SIMD4<Float>(repeating: continuumDepth)
        var transmission = weights[0] * negativeExponential(a0 + c)
        transmission += weights[1] * negativeExponential(a1 + c)
        transmission += weights[2] * negativeExponential(a2 + c)
        transmission += weights[3] * negativeExponential(a3 + c)
        transmission += weights[4] * negativeExponential(a4 + c)
        return 1 - transmission.sum()
    }
}
