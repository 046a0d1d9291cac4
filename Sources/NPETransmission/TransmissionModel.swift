import Foundation
import NPESimulators

/// The ARIEL transmission forward model: transit depth on the 52 ADC2023 bins for a 1-D H2/He atmosphere (optionally
/// with N2 in the fill, ``TransmissionModelConfiguration/FillGas``) with H2O, CO2, CO, CH4 (real correlated-k tables)
/// and NH3 (approximate band model), Rayleigh scattering, H2–H2 and H2–He CIA and an optional grey cloud deck.
///
/// It follows the TauREx 3.3.2 transmission scheme step by step (`FORWARD_MODEL.md` §2.2); with the default
/// configuration its spectra equal those of TauREx 3.3.2 itself run on the same tables to about 1e-3 ppm (tested on
/// seven planets, `TransmissionTauRExSpectraTests.swift`):
/// 1. 101 levels log-spaced from 1e6 to 1e-5 Pa; layer i has P_i = √(p_i p_{i+1}).
/// 2. X_H2 = (1 − ΣX)/(1 + 0.17), X_He = 0.17 X_H2; μ = Σ X m. With the N2 fill, X_N2 = f(1 − ΣX) and H2/He share
///    (1 − f)(1 − ΣX) (TauREx `fill_gases=['H2','He','N2']`); tested against TauREx in `TransmissionTauRExCloudyTests`.
/// 3. Hydrostatic levels from the bottom: Δz_k = H_{k−1} ln(p_{k−1}/p_k), g_k = GM/(R_p + z_k)²; layer i has
///    altitude z_i and thickness dz_i = Δz_{i+1}. R_p is the radius of the 1e6 Pa level.
/// 4. Chords: c_i = R_p + dz_0/2 + z_i, t_j = c_j + dz_j/2, dl_ij = 2[√(t_j² − c_i²) − √(t_{j−1}² − c_i²)].
/// 5. k(T, P) bilinear in T and log10 P, clamped to the table edges (pressure axis unit: see
///    ``TransmissionModelConfiguration/kTablePressureUnitInPascal``). One TauREx quirk is not copied: at T ≥ 3400 K
///    (the table's top) TauREx 3.3.2 *extrapolates* linearly in log P below the pressure grid instead of using its
///    lowest row (`interp_pressure_only` with P < P_min), which can even give negative k; here that row is used, as
///    at every other temperature. It changes spectra at exactly T = 3400 K by up to ~0.2 ppm.
/// 6. τ_i = −ln Σ_g w_g exp(−Σ_j Σ_gas X k_g n_j dl_ij) (perfect correlation) + Rayleigh + CIA chord depths.
/// 7.–10. Rayleigh and CIA at the k-tables' own bin centres; optional deck (τ = ∞ for P_i ≥ P_cloud);
///    D = [R_p² + Σ_i 2(R_p + z_i)(1 − e^{−τ_i}) dz_i] / R_s².
///
/// TauREx's step 11 (skip further contributions to a layer once min_λ τ > 10, an effect below 1e-4 ppm) is not
/// copied: every contribution is always added.
///
/// Outputs are transit depths (fractions, not ppm) in **ascending wavelength** (0.55 → 7.28 µm); ADC2023 files store
/// the reverse order.
///
/// Speed (about 0.23 ms per spectrum on one core for the default configuration, 3.1 million instructions, against
/// ~20 ms for TauREx):
/// * the chord integrals run in Float32 SIMD with a vectorised exp (their rounding error is below 0.01 ppm);
/// * the 45 layers above the k-tables' pressure range share one k-distribution per bin (isothermal case), so their
///   terms merge into one column: Σ_j dl_ij n_j k̂ = k̂ · Σ_j dl_ij n_j, which cuts the chord sums threefold; their
///   continuum (n_j R_b + n_j² C_b, one Rayleigh and one CIA sum per bin) merges the same way into two columns;
/// * thin chords (every τ < 1/64) take the series for 1 − e^{−τ} instead of exponentials. This is also more exact:
///   1 − Σ_g w_g e^{−τ_g} carried the Float weights' deficit from 1 (about 1.5e-7) as absorption of every
///   transparent layer, up to 0.05 ppm of depth in all;
/// * chords whose lower-bound optical depth already exceeds 40 are skipped exactly (1 − e^{−40} rounds to 1);
/// * the hot loops allocate nothing (a ``TransmissionWorkspace`` holds the scratch arrays).
/// A Guillot profile takes the general per-layer path (~3 ms); random overlap ~120 ms.
///
/// References: Al-Refaie et al. 2021 (ApJ 917, 37; TauREx 3); Changeat & Yip 2023 (RASTI 2, 45; ADC2023).
public struct TransmissionModel: Sendable {
    public let configuration: TransmissionModelConfiguration
    /// Bin-centre wavelengths [µm] at which Rayleigh and CIA are evaluated (the k-tables' own), ascending.
    public let wavelengths: [Double]
    /// The ADC2023 bins (ascending), for widths and edges.
    public let grid: ArielWavelengthGrid

    // Prepared, immutable structure, set up once in init.
    let binCount: Int
    let gCount: Int
    let nodeCount: Int
    let temperatureAxis: [Double]
    let logPressureAxis: [Double]
    let weights: [Double]
    let weightVectors: [SIMD4<Float>]
    /// k of the four tabulated gases in the file unit (1e-20 cm² = 1e-24 m²), laid out
    /// `[temperature][bin][pressure][gas][g]`: an isothermal call streams two contiguous temperature slices (0.7 MB)
    /// instead of gathering 160-byte rows from a 20 MB table.
    let lineTable: [SIMD4<Float>]
    /// NH3 band model k in the file unit (1e-24 m²), `[bin][temperature][g]`, g padded to whole 4-lane vectors.
    let ammoniaTable: [SIMD4<Float>]
    /// Rayleigh σ [m²] `[species][bin]` for H2, He, the trace gases in ``TraceGas`` order, then N2.
    let rayleigh: [[Double]]
    let hydrogenCIA: CIABinSampler
    let heliumCIA: CIABinSampler
    let levelPressures: [Double]
    let layerPressures: [Double]
    let layerPressureBrackets: [LinearBracket]
    /// The first layer above the k-tables' pressure range (N if none): from it up, TauREx uses the lowest-pressure row.
    let firstLayerAbovePressureGrid: Int

    /// Prepares the model: reads nothing at run time beyond `data`, and precomputes the interpolation structure.
    public init(configuration: TransmissionModelConfiguration = .init(), data: TransmissionOpacityData) {
        self.configuration = configuration
        let reference = data.kTables[0]
        binCount = reference.wavelengths.count
        gCount = reference.gPoints.count
        nodeCount = reference.pressures.count
        wavelengths = reference.wavelengths
        grid = data.grid
        temperatureAxis = reference.temperatures
        logPressureAxis = reference.pressures.map { log10($0 * configuration.kTablePressureUnitInPascal) }
        weights = reference.weights
        var vectors = [SIMD4<Float>](repeating: .zero, count: (gCount + 3) / 4)
        for g in 0..<gCount { vectors[g / 4][g % 4] = Float(reference.weights[g]) }
        weightVectors = vectors
        lineTable = Self.vectorize(Self.interleave(data.kTables), gCount: reference.gPoints.count)
        ammoniaTable = Self.vectorize(
            AmmoniaBandModel.table(
                grid: data.grid, temperatures: reference.temperatures, gPoints: reference.gPoints,
                spread: AmmoniaBandModel.calibratedSpread(from: data.kTables)
            ).map { Float($0 / CorrelatedKTable.fileUnitInSquareMetres) }, gCount: reference.gPoints.count)
        // TauREx evaluates everything on the k-table's wavenumber grid, ν = 1e4/λ.
        let wavenumbers = reference.wavelengths.map { 10000 / $0 }
        rayleigh = (["H2", "He"] + TraceGas.allCases.map(\.formula) + ["N2"]).map { gas in
            wavenumbers.map { RayleighScattering.crossSection(of: gas, wavenumber: $0)! }
        }
        hydrogenCIA = CIABinSampler(table: data.hydrogenHydrogenCIA, wavenumbers: wavenumbers)
        heliumCIA = CIABinSampler(table: data.hydrogenHeliumCIA, wavenumbers: wavenumbers)
        let layers = TransmissionModelConfiguration.layerCount
        // numpy.logspace(log10(1e-5), log10(1e6), 101)[::-1]: 10^(start + k·step), last exponent exactly 6.
        let start = log10(TransmissionModelConfiguration.topPressure)
        let stop = log10(TransmissionModelConfiguration.bottomPressure)
        let step = (stop - start) / Double(layers)
        let ascending = (0...layers).map { pow(10, $0 == layers ? stop : start + Double($0) * step) }
        levelPressures = Array(ascending.reversed())
        let levels = levelPressures
        layerPressures = (0..<layers).map { levels[$0] * (levels[$0 + 1] / levels[$0]).squareRoot() }
        let axis = logPressureAxis
        layerPressureBrackets = layerPressures.map { LinearBracket.taurexPressure(axis, log10($0)) }
        firstLayerAbovePressureGrid = layerPressures.firstIndex { log10($0) < axis[0] } ?? layers
    }

    /// Prepares the model with the data shipped in the module.
    public init(configuration: TransmissionModelConfiguration = .init()) throws {
        self.init(configuration: configuration, data: try TransmissionOpacityData.bundled())
    }

    /// Reorders the k-tables from `[gas][bin][pressure][temperature][g]` (m²) to `[temperature][bin][pressure][gas][g]`
    /// in the file unit (exact: the file's float32 values are restored).
    static func interleave(_ tables: [CorrelatedKTable]) -> [Float] {
        let reference = tables[0]
        let nB = reference.wavelengths.count, nP = reference.pressures.count
        let nT = reference.temperatures.count, nG = reference.gPoints.count, nGas = tables.count
        var result = [Float](repeating: 0, count: nT * nB * nP * nGas * nG)
        for (gas, table) in tables.enumerated() {
            for b in 0..<nB {
                for p in 0..<nP {
                    for t in 0..<nT {
                        for g in 0..<nG {
                            let source = table.values[((b * nP + p) * nT + t) * nG + g]
                            result[(((t * nB + b) * nP + p) * nGas + gas) * nG + g] =
                                Float(source / CorrelatedKTable.fileUnitInSquareMetres)
                        }
                    }
                }
            }
        }
        return result
    }

    /// Packs rows of `gCount` values into 4-lane vectors, padding each row by repeating its last value (padding lanes
    /// get weight 0, and repeating keeps them out of the minimum the opacity check takes).
    static func vectorize(_ values: [Float], gCount: Int) -> [SIMD4<Float>] {
        let vectors = (gCount + 3) / 4, rows = values.count / gCount
        var result = [SIMD4<Float>](repeating: .zero, count: rows * vectors)
        for row in 0..<rows {
            for lane in 0..<(vectors * 4) {
                result[row * vectors + lane / 4][lane % 4] = values[row * gCount + min(lane, gCount - 1)]
            }
        }
        return result
    }

    /// A workspace sized for this model (one per thread).
    public func makeWorkspace() -> TransmissionWorkspace {
        TransmissionWorkspace(
            layerCount: TransmissionModelConfiguration.layerCount, binCount: binCount, gCount: gCount,
            nodeCount: nodeCount, gasCount: TraceGas.allCases.count)
    }

    /// Transit depths (Rp(λ)/Rs)² for `atmosphere`, one per bin, ascending wavelength.
    ///
    /// A planet too light to hold its atmosphere over the 11 decades of pressure (for example 0.01 M_J and 0.5 R_J at
    /// 1000 K) has no finite hydrostatic solution: its scale height grows without limit as g falls with altitude. Then,
    /// and when the top of the column reaches past the stellar radius (a depth above 1, which no transit shows),
    /// every output is NaN; dataset builders count such draws as failures.
    ///
    /// - Throws: ``SimulatorError/inputOutOfDomain(input:value:reason:)`` for a non-finite input, a non-positive
    ///   radius, mass or stellar radius, a temperature outside the k-tables (100–3400 K), mixing ratios summing to 1 or
    ///   more, or a missing/non-positive cloud pressure when the deck is on.
    public func transitDepths(
        for atmosphere: PlanetAtmosphere, into output: UnsafeMutableBufferPointer<Double>,
        workspace: TransmissionWorkspace
    ) throws {
        precondition(output.count == binCount, "output must hold one value per bin")
        let composition = try validate(atmosphere)
        let merge = configuration.temperatureProfile == .isothermal && configuration.gasOverlap == .perfectCorrelation
        let column = fillColumn(atmosphere, composition: composition, mergeUpperLayers: merge, workspace: workspace)
        let top = workspace.levelAltitude[TransmissionModelConfiguration.layerCount]
        // No bound hydrostatic solution: the scale height grew without limit as g fell with altitude. Near that
        // limit the column stays finite but reaches past the star (transit depths > 1, up to 1e36 for the
        // lightest, hottest draws), which no transit can show; it is the same failure, so it is reported the same.
        guard top.isFinite, column.planetRadius + top < column.starRadius else {
            for b in 0..<binCount { output[b] = .nan }
            return
        }
        fillOpacities(composition: composition, column: column, workspace: workspace)
        integrateChords(column: column, workspace: workspace, output: output)
    }

    /// Convenience: allocates a workspace and returns the depths.
    public func transitDepths(for atmosphere: PlanetAtmosphere) throws -> [Double] {
        var output = [Double](repeating: 0, count: binCount)
        let workspace = makeWorkspace()
        try output.withUnsafeMutableBufferPointer { try transitDepths(for: atmosphere, into: $0, workspace: workspace) }
        return output
    }
}

/// Mixing ratios and mean molecular mass of one atmosphere.
struct Composition {
    /// X of the trace gases, ``TraceGas`` order.
    var trace: [Double]
    var hydrogen: Double
    var helium: Double
    /// X_N2 (0 unless the fill includes N2).
    var nitrogen: Double = 0
    /// μ [kg].
    var meanMolecularMass: Double
}

/// Two bracketing indices and the fraction between them (value = a + (b − a)·fraction).
struct LinearBracket: Sendable {
    var low: Int
    var high: Int
    var fraction: Double

    init(low: Int, high: Int, fraction: Double) {
        self.low = low
        self.high = high
        self.fraction = fraction
    }

    /// Exactly one node (the value is clamped to it).
    init(pinnedAt index: Int) { self.init(low: index, high: index, fraction: 0) }

    /// TauREx's pressure handling: below the axis → first node only, at or above its top → last node only, else linear
    /// in log10 P between `find_closest_pair` neighbours.
    static func taurexPressure(_ axis: [Double], _ value: Double) -> LinearBracket {
        if value < axis[0] { return LinearBracket(low: 0, high: 0, fraction: 0) }
        if value >= axis[axis.count - 1] { return LinearBracket(pinnedAt: axis.count - 1) }
        let (low, high) = InterpolationIndex.bracket(axis, value)
        return LinearBracket(low: low, high: high, fraction: (value - axis[low]) / (axis[high] - axis[low]))
    }
}
