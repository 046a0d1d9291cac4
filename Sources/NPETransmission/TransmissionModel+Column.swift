import Foundation
import NPESimulators

/// What the chord integration needs to know about the column besides the workspace arrays.
struct ColumnSummary {
    var isothermal: Bool
    /// R_p [m].
    var planetRadius: Double
    /// R_s [m].
    var starRadius: Double
    /// Layers 0..<cloudLayerCount lie at or below the cloud top (P_i ≥ P_cloud) and are opaque.
    var cloudLayerCount: Int
    /// m: layers j ≥ m share one k-distribution per bin (isothermal, above the k-tables' pressure range, where TauREx
    /// uses the lowest-pressure row), so their terms of every chord sum merge into one column. m = N when they do not.
    var distinctLayerCount: Int
    /// Columns of `chordWeights`: m + 1 when layers merge, else N.
    var columnCount: Int {
        distinctLayerCount < TransmissionModelConfiguration.layerCount ? distinctLayerCount + 1 : distinctLayerCount
    }
}

extension TransmissionModel {
    /// Checks the inputs (naming the simulator input in the error) and derives the composition.
    func validate(_ atmosphere: PlanetAtmosphere) throws -> Composition {
        func require(_ ok: Bool, _ input: String, _ value: Double, _ reason: String) throws {
            if !ok { throw SimulatorError.inputOutOfDomain(input: input, value: value, reason: reason) }
        }
        let checks: [(String, Double)] = [
            ("planet_radius", atmosphere.radius), ("planet_temp", atmosphere.temperature),
            ("planet_mass", atmosphere.mass), ("star_radius", atmosphere.starRadius),
        ]
        for (name, value) in checks { try require(value.isFinite, name, value, "not finite") }
        try require(atmosphere.radius > 0, "planet_radius", atmosphere.radius, "must be positive (R_J)")
        try require(atmosphere.mass > 0, "planet_mass", atmosphere.mass, "must be positive (M_J)")
        try require(atmosphere.starRadius > 0, "star_radius", atmosphere.starRadius, "must be positive (R_sun)")
        let (tMin, tMax) = (temperatureAxis[0], temperatureAxis[temperatureAxis.count - 1])
        try require(
            atmosphere.temperature >= tMin && atmosphere.temperature <= tMax, "planet_temp", atmosphere.temperature,
            "outside the opacity tables' \(tMin)–\(tMax) K")
        guard atmosphere.logMixingRatios.count == TraceGas.allCases.count else {
            throw SimulatorError.wrongInputCount(
                expected: TraceGas.allCases.count, got: atmosphere.logMixingRatios.count)
        }
        var trace = [Double](repeating: 0, count: TraceGas.allCases.count)
        for gas in TraceGas.allCases {
            let value = atmosphere.logMixingRatios[gas.rawValue]
            try require(value.isFinite, gas.inputName, value, "not finite")
            try require(value <= 0, gas.inputName, value, "a volume mixing ratio cannot exceed 1 (log10 ≤ 0)")
            trace[gas.rawValue] = pow(10, value)
        }
        let traceSum = trace.reduce(0, +)
        try require(
            traceSum < 1, TraceGas.water.inputName, atmosphere.logMixingRatios[0],
            "the trace-gas mixing ratios sum to \(traceSum) ≥ 1, leaving no fill gas")
        if configuration.cloudDeck {
            let pressure = atmosphere.cloudTopPressure ?? .nan
            try require(pressure.isFinite && pressure > 0, "log_cloud_pressure", log10(pressure), "not finite")
        }
        // The fill (1 − ΣX) is H2/He at the configured ratio, or split with N2 by f = fill_n2_fraction.
        var nitrogenShare = 0.0
        if configuration.fillGas == .hydrogenHeliumNitrogen {
            let f = atmosphere.nitrogenFillFraction ?? .nan
            try require(f.isFinite, "fill_n2_fraction", f, "not finite")
            try require(f >= 0 && f <= 1, "fill_n2_fraction", f, "N2's share of the fill must be in [0, 1]")
            nitrogenShare = f
        }
        let fill = 1 - traceSum
        let nitrogen = nitrogenShare * fill
        let hydrogen = (fill - nitrogen) / (1 + configuration.heliumToHydrogenRatio)
        let helium = configuration.heliumToHydrogenRatio * hydrogen
        var mu = hydrogen * 2 * ElementMass.hydrogen + helium * ElementMass.helium + nitrogen * 2 * ElementMass.nitrogen
        for gas in TraceGas.allCases { mu += trace[gas.rawValue] * gas.molecularMass }
        return Composition(
            trace: trace, hydrogen: hydrogen, helium: helium, nitrogen: nitrogen,
            meanMolecularMass: mu * PhysicalConstants.atomicMass)
    }

    /// Steps 1, 3 and 4: temperatures, densities, hydrostatic altitudes, layer areas and chord lengths.
    ///
    /// `constantGravity` [m s⁻²] replaces GM/(R_p + z)² everywhere; it exists for the analytic-formula tests
    /// (Heng & Kitzmann 2017 assume constant g) and is never set by the simulator.
    func fillColumn(
        _ atmosphere: PlanetAtmosphere, composition: Composition, mergeUpperLayers: Bool,
        workspace ws: TransmissionWorkspace, constantGravity: Double? = nil
    ) -> ColumnSummary {
        let n = TransmissionModelConfiguration.layerCount
        let k = PhysicalConstants.boltzmann
        let mass = atmosphere.mass * PhysicalConstants.jupiterMass
        let radius = atmosphere.radius * PhysicalConstants.jupiterRadius
        let gm = PhysicalConstants.gravitational * mass
        let surfaceGravity = constantGravity ?? gm / (radius * radius)
        let mu = composition.meanMolecularMass

        var isothermal = true
        switch configuration.temperatureProfile {
        case .isothermal:
            for i in 0..<n { ws.temperature[i] = atmosphere.temperature }
        case let .guillot2010(logKappaIR, logGamma, internalTemperature):
            isothermal = false
            let kappa = pow(10, logKappaIR), gamma = pow(10, logGamma), root3 = 3.0.squareRoot()
            let tEq4 = pow(atmosphere.temperature, 4), tInt4 = pow(internalTemperature, 4)
            for i in 0..<n {
                let tau = kappa * layerPressures[i] / surfaceGravity
                let irradiated = 2.0 / 3 + 1 / (gamma * root3)
                    + (gamma / root3 - 1 / (gamma * root3)) * exp(-gamma * tau * root3)
                ws.temperature[i] = pow(0.75 * tInt4 * (2.0 / 3 + tau) + 0.75 * tEq4 * irradiated, 0.25)
            }
        }

        // Hydrostatic levels from the bottom, exactly as taurex.data.planet.calculate_scale_properties.
        var scaleHeight = k * ws.temperature[0] / (mu * surfaceGravity)
        ws.levelAltitude[0] = 0
        for level in 1...n {
            let deltaZ = -scaleHeight * log(levelPressures[level] / levelPressures[level - 1])
            ws.levelAltitude[level] = ws.levelAltitude[level - 1] + deltaZ
            ws.thickness[level - 1] = deltaZ
            if level < n {
                let r = radius + ws.levelAltitude[level]
                scaleHeight = k * ws.temperature[level] / (mu * (constantGravity ?? gm / (r * r)))
            }
        }
        for i in 0..<n {
            ws.altitude[i] = ws.levelAltitude[i]
            ws.density[i] = layerPressures[i] / (k * ws.temperature[i])
            ws.area[i] = (radius + ws.altitude[i]) * ws.thickness[i] * 2
        }

        // Chords (TauREx compute_path_length_old): c_i = R + dz0/2 + z_i, t_j = R + dz0/2 + z_j + dz_j/2. The line
        // kernel's weights merge the layers j ≥ m (see ColumnSummary.distinctLayerCount):
        // Σ_j dl_ij n_j k̂ = k̂ Σ_j dl_ij n_j,
        // with k̂ kept in the k-tables' unit (1e-24 m²) so that no Float value is denormal.
        let m = mergeUpperLayers ? firstLayerAbovePressureGrid : n
        let columns = m < n ? m + 1 : n
        let base = radius + ws.thickness[0] / 2
        for i in 0..<n {
            let c = base + ws.altitude[i]
            let p = c * c
            let row = ws.pathLength + i * n, weights = ws.chordWeights + i * columns
            var previous = 0.0, merged = 0.0, mergedSquared = 0.0
            for j in i..<n {
                let t = base + ws.altitude[j] + ws.thickness[j] / 2
                let root = (t * t - p).squareRoot()
                let dl = 2 * (root - previous)
                row[j] = Float(dl)
                if j < m {
                    weights[j] = Float(dl)
                } else {
                    let weighted = dl * ws.density[j]
                    merged += weighted
                    mergedSquared += weighted * ws.density[j]
                }
                previous = root
            }
            if m < n { weights[m] = Float(merged * CorrelatedKTable.fileUnitInSquareMetres) }
            ws.mergedColumn[i] = merged
            ws.mergedColumnSquared[i] = mergedSquared
        }

        var cloudLayers = 0
        if configuration.cloudDeck, let cloudPressure = atmosphere.cloudTopPressure {
            while cloudLayers < n && layerPressures[cloudLayers] >= cloudPressure { cloudLayers += 1 }
        }
        return ColumnSummary(
            isothermal: isothermal, planetRadius: radius,
            starRadius: atmosphere.starRadius * PhysicalConstants.solarRadius, cloudLayerCount: cloudLayers,
            distinctLayerCount: m)
    }
}
