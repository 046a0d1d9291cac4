import Foundation
import NPESimulators

/// CIA coefficients sampled at the model's bin wavenumbers: per bin, the bracketing table columns and the fraction
/// (`np.interp` semantics, edge values outside the table), so a call only interpolates in temperature.
struct CIABinSampler: Sendable {
    let table: CollisionInducedAbsorptionTable
    let brackets: [LinearBracket]

    init(table: CollisionInducedAbsorptionTable, wavenumbers: [Double]) {
        self.table = table
        let axis = table.wavenumbers
        brackets = wavenumbers.map { nu in
            if nu <= axis[0] { return LinearBracket(low: 0, high: 0, fraction: 0) }
            if nu >= axis[axis.count - 1] { return LinearBracket(pinnedAt: axis.count - 1) }
            let (low, high) = InterpolationIndex.bracket(axis, nu)
            return LinearBracket(low: low, high: high, fraction: (nu - axis[low]) / (axis[high] - axis[low]))
        }
    }

    /// k [m⁵] in bin `bin` at temperature T: linear in T with the end rows outside the range (`PickleCIA`).
    func coefficient(bin: Int, temperature: Double) -> Double {
        let temperatures = table.temperatures, count = table.wavenumbers.count
        let wave = brackets[bin]
        func row(_ t: Int) -> Double {
            let a = table.values[t * count + wave.low], b = table.values[t * count + wave.high]
            return a + (b - a) * wave.fraction
        }
        if temperature > temperatures[temperatures.count - 1] { return row(temperatures.count - 1) }
        if temperature < temperatures[0] { return row(0) }
        let (low, high) = InterpolationIndex.bracket(temperatures, temperature)
        let fraction = (temperature - temperatures[low]) / (temperatures[high] - temperatures[low])
        let a = row(low), b = row(high)
        return a + (b - a) * fraction
    }
}

extension TransmissionModel {
    /// TauREx's temperature handling in `interp_bilinear_grid`: at or above the top → last column only; below the
    /// bottom → first column only; else linear between `find_closest_pair` neighbours.
    func temperatureBracket(_ temperature: Double) -> LinearBracket {
        let axis = temperatureAxis
        if temperature >= axis[axis.count - 1] { return LinearBracket(pinnedAt: axis.count - 1) }
        if temperature < axis[0] { return LinearBracket(low: 0, high: 0, fraction: 0) }
        let (low, high) = InterpolationIndex.bracket(axis, temperature)
        return LinearBracket(low: low, high: high, fraction: (temperature - axis[low]) / (axis[high] - axis[low]))
    }

    /// Steps 5–8: per-layer line opacity κ_{j,b,g} = n_j Σ_gas X k (into `kappa`) and continuum extinction
    /// n_j Σ X σ_Rayleigh + n_j² (X_H2² k_H2H2 + X_H2 X_He k_H2He) (into `continuum`).
    func fillOpacities(composition: Composition, column: ColumnSummary, workspace ws: TransmissionWorkspace) {
        if column.distinctLayerCount < TransmissionModelConfiguration.layerCount {
            fillIsothermalKSum(composition: composition, distinctLayers: column.distinctLayerCount, workspace: ws)
        } else {
            fillGeneral(composition: composition, workspace: ws)
        }
        fillContinuum(composition: composition, isothermal: column.isothermal, workspace: ws)
    }

    /// Fast path. With one temperature and constant X, the k-sum commutes with the interpolation: interpolate
    /// Σ_gas X k in T once at each of the 22 pressure nodes, then in log P per layer. Equal to TauREx's per-gas,
    /// per-layer bilinear interpolation up to rounding.
    ///
    /// Layers j ≥ `distinctLayers` all sit above the pressure grid and share the lowest-pressure row: they get one
    /// merged entry, κ[m] = Σ_gas X k (without n_j, which the merged chord weight carries).
    private func fillIsothermalKSum(
        composition: Composition, distinctLayers m: Int, workspace ws: TransmissionWorkspace
    ) {
        let nP = nodeCount, nT = temperatureAxis.count, n = TransmissionModelConfiguration.layerCount
        let vectors = ws.gVectorCount, gases = TraceGas.tabulated.count
        precondition(vectors == 5, "the opacity kernel is unrolled for 20 g-points")
        let t = temperatureBracket(ws.temperature[0])
        let f = Float(t.fraction)
        let node = ws.nodeOpacity
        let xAmmonia = Float(composition.trace[TraceGas.ammonia.rawValue])
        let slice = binCount * nP * gases * vectors
        // Speed: only the nodes that some layer 0...m brackets are interpolated (the layer grid need not span the
        // whole table), and everything per layer (bracket, n_j) is gathered once instead of once per bin. Same
        // arithmetic in the same order, so the κ are bit-identical to interpolating every node.
        let layers = m + 1
        var firstNode = nP - 1, lastNode = 0
        for j in 0..<layers {
            let bracket = layerPressureBrackets[min(j, n - 1)]
            firstNode = Swift.min(firstNode, bracket.low, bracket.high)
            lastNode = Swift.max(lastNode, bracket.low, bracket.high)
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: gases) { x in
            for gas in 0..<gases { x[gas] = Float(composition.trace[TraceGas.tabulated[gas].rawValue]) }
            lineTable.withUnsafeBufferPointer { table in
                ammoniaTable.withUnsafeBufferPointer { ammonia in
                    let low = table.baseAddress! + t.low * slice, high = table.baseAddress! + t.high * slice
                    for b in 0..<binCount {
                        // NH3 has no pressure dependence: one T-interpolated vector set per bin.
                        let a0 = ammonia.baseAddress! + (b * nT + t.low) * vectors
                        let a1 = ammonia.baseAddress! + (b * nT + t.high) * vectors
                        let ammonia0 = xAmmonia * (a0[0] + (a1[0] - a0[0]) * f)
                        let ammonia1 = xAmmonia * (a0[1] + (a1[1] - a0[1]) * f)
                        let ammonia2 = xAmmonia * (a0[2] + (a1[2] - a0[2]) * f)
                        let ammonia3 = xAmmonia * (a0[3] + (a1[3] - a0[3]) * f)
                        let ammonia4 = xAmmonia * (a0[4] + (a1[4] - a0[4]) * f)
                        for p in firstNode...lastNode {
                            var s0 = ammonia0, s1 = ammonia1, s2 = ammonia2, s3 = ammonia3, s4 = ammonia4
                            let row = (b * nP + p) * gases * vectors
                            for gas in 0..<gases {
                                let offset = row + gas * vectors, xGas = x[gas]
                                let k0 = low + offset, k1 = high + offset
                                s0 += xGas * (k0[0] + (k1[0] - k0[0]) * f)
                                s1 += xGas * (k0[1] + (k1[1] - k0[1]) * f)
                                s2 += xGas * (k0[2] + (k1[2] - k0[2]) * f)
                                s3 += xGas * (k0[3] + (k1[3] - k0[3]) * f)
                                s4 += xGas * (k0[4] + (k1[4] - k0[4]) * f)
                            }
                            let out = node + (b * nP + p) * vectors
                            out[0] = s0; out[1] = s1; out[2] = s2; out[3] = s3; out[4] = s4
                        }
                    }
                }
            }
        }
        // Per layer: linear in log P between nodes, times n_j in the file unit (1e-24 m²). The merged entry j = m
        // keeps k alone; its chord weight carries Σ dl n · 1e-24.
        let unit = CorrelatedKTable.fileUnitInSquareMetres
        withUnsafeTemporaryAllocation(of: (low: Int, high: Int, scale: Float, fraction: Float).self, capacity: layers) {
            perLayer in
            for j in 0..<layers {
                let bracket = layerPressureBrackets[min(j, n - 1)]
                perLayer[j] = (
                    bracket.low * vectors, bracket.high * vectors, Float(j < m ? ws.density[j] * unit : 1),
                    Float(bracket.fraction)
                )
            }
            for b in 0..<binCount {
                let bin = node + b * nP * vectors, out = ws.kappa + b * n * vectors
                for j in 0..<layers {
                    let layer = perLayer[j], scale = layer.scale, fp = layer.fraction
                    let lowNode = bin + layer.low, highNode = bin + layer.high, o = out + j * vectors
                    o[0] = scale * (lowNode[0] + (highNode[0] - lowNode[0]) * fp)
                    o[1] = scale * (lowNode[1] + (highNode[1] - lowNode[1]) * fp)
                    o[2] = scale * (lowNode[2] + (highNode[2] - lowNode[2]) * fp)
                    o[3] = scale * (lowNode[3] + (highNode[3] - lowNode[3]) * fp)
                    o[4] = scale * (lowNode[4] + (highNode[4] - lowNode[4]) * fp)
                }
            }
        }
    }

    /// General path (any T–P profile, either overlap rule): per layer and gas, TauREx's bilinear interpolation, then
    /// the k-sum or random overlap.
    private func fillGeneral(composition: Composition, workspace ws: TransmissionWorkspace) {
        let nG = gCount, nP = nodeCount, nT = temperatureAxis.count, n = TransmissionModelConfiguration.layerCount
        let allGases = TraceGas.allCases.count, vectors = ws.gVectorCount
        let mixed = UnsafeMutablePointer<Double>.allocate(capacity: nG)
        defer { mixed.deallocate() }
        weights.withUnsafeBufferPointer { weightBuffer in
            for j in 0..<n {
                let temperature = ws.temperature[j]
                let t = temperatureBracket(temperature)
                let p = layerPressureBrackets[j]
                // TauREx returns zero opacity when both P and T lie below their tables (an explicit branch of
                // `interp_bilinear_grid`, kept). Its extrapolation at the two other corners (T above the table with P
                // below it, and the reverse) is not kept: those layers are clamped to the table edge like all others.
                let belowBoth = temperature < temperatureAxis[0] && log10(layerPressures[j]) < logPressureAxis[0]
                for b in 0..<binCount {
                    let gases = TraceGas.tabulated.count, unit = CorrelatedKTable.fileUnitInSquareMetres
                    lineTable.withUnsafeBufferPointer { vectorTable in
                        let table = UnsafeRawPointer(vectorTable.baseAddress!).assumingMemoryBound(to: Float.self)
                        let stride = ws.gVectorCount * 4
                        func row(_ t: Int, _ p: Int) -> Int { ((t * binCount + b) * nP + p) * gases * stride }
                        let r00 = row(t.low, p.low), r01 = row(t.high, p.low)
                        let r10 = row(t.low, p.high), r11 = row(t.high, p.high)
                        for gas in 0..<gases {
                            let x = composition.trace[TraceGas.tabulated[gas].rawValue] * unit
                            let out = ws.gasK + TraceGas.tabulated[gas].rawValue * nG, o = gas * stride
                            for g in 0..<nG {
                                let k00 = Double(table[r00 + o + g]), k01 = Double(table[r01 + o + g])
                                let k10 = Double(table[r10 + o + g]), k11 = Double(table[r11 + o + g])
                                let low = k00 + (k01 - k00) * t.fraction
                                let high = k10 + (k11 - k10) * t.fraction
                                out[g] = belowBoth ? 0 : x * (low + (high - low) * p.fraction)
                            }
                        }
                    }
                    let x = composition.trace[TraceGas.ammonia.rawValue] * CorrelatedKTable.fileUnitInSquareMetres
                    let out = ws.gasK + TraceGas.ammonia.rawValue * nG
                    ammoniaTable.withUnsafeBufferPointer { vectorTable in
                        let table = UnsafeRawPointer(vectorTable.baseAddress!).assumingMemoryBound(to: Float.self)
                        let stride = ws.gVectorCount * 4
                        let r0 = (b * nT + t.low) * stride, r1 = (b * nT + t.high) * stride
                        for g in 0..<nG {
                            let k0 = Double(table[r0 + g]), k1 = Double(table[r1 + g])
                            out[g] = x * (k0 + (k1 - k0) * t.fraction)
                        }
                    }
                    switch configuration.gasOverlap {
                    case .perfectCorrelation:
                        for g in 0..<nG {
                            var sum = 0.0
                            for gas in 0..<allGases { sum += ws.gasK[gas * nG + g] }
                            mixed[g] = sum
                        }
                    case .randomOverlap:
                        RandomOverlap.mix(
                            gasK: ws.gasK, gasCount: allGases, weights: weightBuffer, scratch: ws.overlap,
                            result: mixed)
                    }
                    let density = ws.density[j]
                    let kappa = UnsafeMutableRawPointer(ws.kappa + (b * n + j) * vectors)
                        .assumingMemoryBound(to: Float.self)
                    // Values below 1e-35 m⁻¹ (τ < 1e-28 over any chord) are flushed to zero: Float denormals would
                    // slow the chord kernel by two orders of magnitude.
                    for g in 0..<nG {
                        let value = Float(density * mixed[g])
                        kappa[g] = value < 1e-35 ? 0 : value
                    }
                    for g in nG..<(vectors * 4) { kappa[g] = kappa[nG - 1] }
                }
            }
        }
    }

    private func fillContinuum(composition: Composition, isothermal: Bool, workspace ws: TransmissionWorkspace) {
        let n = TransmissionModelConfiguration.layerCount
        let xH2 = composition.hydrogen, xHe = composition.helium
        let rayleighSum = ws.rayleighSum, cia = ws.collisionSum
        for b in 0..<binCount {
            var total = xH2 * rayleigh[0][b] + xHe * rayleigh[1][b]
            for (s, x) in composition.trace.enumerated() { total += x * rayleigh[2 + s][b] }
            rayleighSum[b] = total + composition.nitrogen * rayleigh[rayleigh.count - 1][b]
        }
        var ciaTemperature = Double.nan
        for j in 0..<n {
            let temperature = ws.temperature[j], density = ws.density[j]
            if !(isothermal && temperature == ciaTemperature) {
                for b in 0..<binCount {
                    cia[b] = xH2 * xH2 * hydrogenCIA.coefficient(bin: b, temperature: temperature)
                        + xH2 * xHe * heliumCIA.coefficient(bin: b, temperature: temperature)
                }
                ciaTemperature = temperature
            }
            for b in 0..<binCount {
                ws.continuum[j * binCount + b] = Float(density * rayleighSum[b] + density * density * cia[b])
            }
        }
    }
}
