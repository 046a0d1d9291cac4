import Foundation
import Testing
import NPESimulators
@testable import NPETransmission

/// Physical behaviour of the full model: a real-planet water band, the grey deck, NH3, and the agreement of its
/// alternative code paths (general T–P path, random overlap) with the fast isothermal k-sum where they must agree.
@Suite struct TransmissionPhysicsTests {
    /// HD 209458b-like: R_p = 1.36 R_J at 10 bar, M = 0.69 M_J, R_s = 1.16 R_☉, T = 1450 K, clear, X_H2O = 1e-4
    /// (a fraction of solar), CO 1e-4, CO2 1e-8, CH4 1e-8, NH3 1e-9.
    static let hd209458b = PlanetAtmosphere(
        radius: 1.36, mass: 0.69, temperature: 1450, starRadius: 1.16, logMixingRatios: [-4, -8, -4, -8, -9])

    static func ppm(_ depths: [Double]) -> [Double] { depths.map { $0 * 1e6 } }

    static func bin(_ model: TransmissionModel, _ wavelength: Double) -> Int {
        model.wavelengths.indices.min { abs(model.wavelengths[$0] - wavelength) < abs(model.wavelengths[$1] - wavelength) }!
    }

    @Test func hd209458bLikeWaterBandIsSeveralHundredPpm() throws {
        let model = try TransmissionModel()
        let ppm = Self.ppm(try model.transitDepths(for: Self.hd209458b))
        // Band 1.4 µm against the J-band window at 1.27 µm, and 2.7 µm against the 2.2 µm window.
        let band14 = ppm[Self.bin(model, 1.41)] - ppm[Self.bin(model, 1.27)]
        let band27 = ppm[Self.bin(model, 2.71)] - ppm[Self.bin(model, 2.18)]
        print("HD 209458b-like water bands: 1.4 µm \(band14) ppm, 2.7 µm \(band27) ppm")
        // One scale height is 2 R_p H / R_s² ≈ 180 ppm here; water features span 1–5 H at R ≈ 10–50, so "several
        // hundred ppm" means roughly 100–1000 ppm. (Observed WFC3 1.4 µm amplitude: ~200 ppm, muted by clouds.)
        #expect(band14 > 100 && band14 < 1000)
        #expect(band27 > 200 && band27 < 1500)
        // Water removed, the 1.4 µm feature must vanish (to within the CO/CIA continuum slope, a few ppm).
        var dry = Self.hd209458b
        dry.logMixingRatios[TraceGas.water.rawValue] = -12
        let dryPpm = Self.ppm(try model.transitDepths(for: dry))
        #expect(abs(dryPpm[Self.bin(model, 1.41)] - dryPpm[Self.bin(model, 1.27)]) < 0.2 * band14)
    }

    @Test func greyDeckFlattensTheSpectrum() throws {
        let clearModel = try TransmissionModel()
        var configuration = TransmissionModelConfiguration()
        configuration.cloudDeck = true
        let cloudyModel = try TransmissionModel(configuration: configuration)
        let clear = Self.ppm(try clearModel.transitDepths(for: Self.hd209458b))
        var cloudyAtmosphere = Self.hd209458b
        cloudyAtmosphere.cloudTopPressure = 100  // 1 mbar
        let cloudy = Self.ppm(try cloudyModel.transitDepths(for: cloudyAtmosphere))
        let clearRange = clear.max()! - clear.min()!, cloudyRange = cloudy.max()! - cloudy.min()!
        print("feature range: clear \(clearRange) ppm, 1 mbar deck \(cloudyRange) ppm")
        // Opaque layers can only add absorption (Float rounding: 1e-3 ppm).
        for (c, d) in zip(clear, cloudy) { #expect(d >= c - 1e-3) }
        #expect(cloudyRange < 0.5 * clearRange)
        // A deck at the bottom of the atmosphere changes nothing; a deck at the top makes the spectrum flat.
        cloudyAtmosphere.cloudTopPressure = 1e7
        let buried = Self.ppm(try cloudyModel.transitDepths(for: cloudyAtmosphere))
        for (c, d) in zip(clear, buried) { #expect(c == d) }
        cloudyAtmosphere.cloudTopPressure = 1e-6
        let lid = Self.ppm(try cloudyModel.transitDepths(for: cloudyAtmosphere))
        #expect(lid.max()! - lid.min()! < 1e-6)
    }

    @Test func ammoniaBandModelAddsAbsorptionAtItsBands() throws {
        let model = try TransmissionModel()
        var rich = Self.hd209458b
        rich.logMixingRatios = [-12, -12, -12, -12, -3]
        var poor = rich
        poor.logMixingRatios[TraceGas.ammonia.rawValue] = -12
        let difference = zip(
            Self.ppm(try model.transitDepths(for: rich)), Self.ppm(try model.transitDepths(for: poor))
        ).map { $0 - $1 }
        // ν1/ν3 near 3.0 µm and ν4 near 6.1 µm absorb; the 1.27 µm window stays nearly clear.
        #expect(difference[Self.bin(model, 3.0)] > 100)
        #expect(difference[Self.bin(model, 6.0)] > 100)
        #expect(difference[Self.bin(model, 1.27)] < difference[Self.bin(model, 3.0)] / 3)
        #expect(try ArielTransmissionSimulator().configuration["nh3"]!.contains("APPROXIMATE"))
        let spread = AmmoniaBandModel.calibratedSpread(from: try TransmissionOpacityData.bundled().kTables)
        print("NH3 band model: log-normal spread s = \(spread) (from the real tables)")
        // The appendix's typical range for the within-bin spread.
        #expect(spread > 1 && spread < 6)
    }

    /// The general per-layer path (used for T–P profiles and RORR) on an isothermal atmosphere equals the fast path
    /// (merged upper layers, T-first interpolation) to Float rounding.
    @Test func generalPathEqualsFastPathWhenIsothermal() throws {
        let model = try TransmissionModel()
        let fast = try model.transitDepths(for: Self.hd209458b)
        let workspace = model.makeWorkspace()
        let composition = try model.validate(Self.hd209458b)
        let column = model.fillColumn(
            Self.hd209458b, composition: composition, mergeUpperLayers: false, workspace: workspace)
        model.fillOpacities(composition: composition, column: column, workspace: workspace)
        var general = [Double](repeating: 0, count: model.binCount)
        general.withUnsafeMutableBufferPointer { model.integrateChords(column: column, workspace: workspace, output: $0) }
        // Float32 sums in different orders: ~1e-7 relative of the atmospheric part, i.e. < 0.01 ppm.
        for (a, b) in zip(fast, general) { #expect(abs(a - b) * 1e6 < 0.01) }
    }

    /// Guillot 2010 with γ = 1 and T_int = 0 is isothermal at T = T_eq · (¾ (⅔ + 1/√3))^¼ = 0.98285 T_eq.
    @Test func guillotProfileWithUnitGammaIsIsothermal() throws {
        let guillot = try TransmissionModel(
            configuration: .init(temperatureProfile: .guillot2010(logKappaIR: -2, logGamma: 0, internalTemperature: 0)))
        let isothermal = try TransmissionModel()
        var atmosphere = Self.hd209458b
        let warm = try guillot.transitDepths(for: atmosphere)
        atmosphere.temperature *= pow(0.75 * (2.0 / 3 + 1 / 3.0.squareRoot()), 0.25)
        let reference = try isothermal.transitDepths(for: atmosphere)
        for (a, b) in zip(warm, reference) { #expect(abs(a - b) * 1e6 < 0.01) }
    }

    /// With one absorbing gas, random overlap leaves its k-distribution unchanged, so RORR equals the k-sum; with
    /// several comparable gases they differ, by less than the feature amplitude.
    @Test func randomOverlapReducesToKSumForOneGas() throws {
        let kSum = try TransmissionModel()
        let rorr = try TransmissionModel(configuration: .init(gasOverlap: .randomOverlap))
        var single = Self.hd209458b
        single.logMixingRatios = [-4, -30, -30, -30, -30]
        let a = try kSum.transitDepths(for: single), b = try rorr.transitDepths(for: single)
        // The other gases' k are 1e-30 × k: the rebinned mixture equals the water distribution to ~1e-12.
        for (x, y) in zip(a, b) { #expect(abs(x - y) * 1e6 < 0.01) }
        var mixed = Self.hd209458b
        mixed.logMixingRatios = [-4, -4, -4, -4, -12]
        let c = try kSum.transitDepths(for: mixed), d = try rorr.transitDepths(for: mixed)
        let amplitude = (c.max()! - c.min()!) * 1e6
        let largest = zip(c, d).map { abs($0 - $1) * 1e6 }.max()!
        print("RORR vs k-sum, 4 gases: largest difference \(largest) ppm of a \(amplitude) ppm amplitude")
        #expect(largest > 0.1 && largest < 0.5 * amplitude)
    }

    /// Random overlap conserves the mean cross section (the mean of a sum of independent variables is the sum of the
    /// means, and rebinning averages within intervals), and returns a sorted k-distribution.
    @Test func randomOverlapConservesTheMeanAndSorts() throws {
        let data = try TransmissionOpacityData.bundled()
        let weights = data.kTables[0].weights
        let gCount = weights.count
        // Two gases' real k-distributions (H2O and CH4 at 3.3 µm, 1000 K, mid pressure), scaled by X.
        let bin = 35, p = 11, t = data.kTables[0].temperatures.firstIndex(of: 1000)!
        func row(_ table: CorrelatedKTable, _ x: Double) -> [Double] {
            let base = ((bin * 22 + p) * 27 + t) * gCount
            return table.values[base..<base + gCount].map { $0 * x }
        }
        let gasK = row(data.kTables[0], 1e-3) + row(data.kTables[3], 1e-4)
        var mixed = [Double](repeating: 0, count: gCount)
        let scratch = RandomOverlapScratch(gCount: gCount)
        gasK.withUnsafeBufferPointer { k in
            weights.withUnsafeBufferPointer { w in
                RandomOverlap.mix(gasK: k.baseAddress!, gasCount: 2, weights: w, scratch: scratch, result: &mixed)
            }
        }
        func mean(_ values: ArraySlice<Double>) -> Double { zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } }
        let expected = mean(gasK[0..<gCount]) + mean(gasK[gCount..<2 * gCount])
        // Rebinning is exact up to the 1e-15 relative slack of its interval bookkeeping.
        #expect(abs(mean(mixed[...]) / expected - 1) < 1e-9)
        #expect(zip(mixed, mixed.dropFirst()).allSatisfy { $0 <= $1 })
    }
}
