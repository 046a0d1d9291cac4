import Foundation

/// A calibrated, parametric Ariel photon-noise model: per-bin 1σ transit-depth noise from the host star's
/// effective temperature, radius and distance and the transit duration.
///
/// This is the model of `Resources/noise/PROVENANCE.md` (from the shared `noise/README.md`), calibrated to the
/// ArielRad-based Tier-2 transit counts of the Ariel Mission Candidate Sample. It is "ArielRad-like", not a
/// payload simulation. For star i and bin b with edges [λ_lo, λ_hi]:
///
/// 1. photon rate at unit efficiency, a 64-point midpoint rule over the bin:
///    G₁ = A ∫ π B_λ(T_eff) (R*/d)² λ/(hc) dλ · 10^corr(T_eff, λ_b)   [e⁻/s];
/// 2. G = η G₁ and τ = 1/T14 + 1/(2 T14) (in-transit T14, out-of-transit baseline 2 T14);
/// 3. one-transit relative variance σ₁² = (1/G + c/G²) τ + (j·10⁻⁶)² · 3600 τ;
/// 4. after N transits with a systematic floor f: σ_N = √(σ₁²/N + f²).
///
/// η is an effective photon-conversion efficiency on A = π/4 · 1.1 m · 0.73 m; j (ppm·√h) is flux-independent
/// relative noise (jitter-like); c (e⁻/s per bin) is a flux-independent variance rate (detector, background).
/// All sigmas are transit-depth fractions (ppm · 1e-6), in ascending wavelength.
///
/// Warning: only AIRS is calibrated; the absolute scale rests on the MCS conventions n_H = 5, SNR = 7; no
/// stellar activity or systematics beyond f. The floor is an assumption (the README suggests 10–20 ppm).
public struct ArielPhotonNoise: Sendable, Codable, Equatable {
    /// η, effective photon-conversion efficiency (dimensionless).
    public var efficiency: Double
    /// j, flux-independent relative noise [ppm·√h].
    public var jitter: Double
    /// c, flux-independent variance rate [e⁻/s per bin].
    public var varianceRate: Double
    /// A, collecting area [m²].
    public var collectingArea: Double
    /// f, systematic noise floor added in quadrature after co-adding [transit-depth fraction].
    public var floor: Double
    /// N used when the target does not say how many transits were co-added.
    public var defaultTransits: Int
    public var bins: NoiseBinGrid
    public var sedCorrection: SEDCorrectionTable
    /// Where the numbers come from, for provenance.
    public var calibration: String

    public init(
        efficiency: Double, jitter: Double, varianceRate: Double, collectingArea: Double, floor: Double,
        defaultTransits: Int, bins: NoiseBinGrid, sedCorrection: SEDCorrectionTable, calibration: String
    ) throws {
        for (name, value) in [("efficiency", efficiency), ("collectingArea", collectingArea)]
        where !(value > 0 && value.isFinite) {
            throw NoiseError.invalidParameter(name: name, value: value, reason: "must be finite and > 0")
        }
        for (name, value) in [("jitter", jitter), ("varianceRate", varianceRate), ("floor", floor)]
        where !(value >= 0 && value.isFinite) {
            throw NoiseError.invalidParameter(name: name, value: value, reason: "must be finite and ≥ 0")
        }
        guard defaultTransits >= 1 else {
            throw NoiseError.invalidParameter(
                name: "defaultTransits", value: Double(defaultTransits), reason: "must be ≥ 1")
        }
        self.efficiency = efficiency
        self.jitter = jitter
        self.varianceRate = varianceRate
        self.collectingArea = collectingArea
        self.floor = floor
        self.defaultTransits = defaultTransits
        self.bins = bins
        self.sedCorrection = sedCorrection
        self.calibration = calibration
    }

    /// The MCS 2024-07-09 calibration (`Resources/noise/calibration.json`: η = 0.2224, j = 46.6 ppm·√h,
    /// c = 133.8 e⁻/s per bin) on the 52 ADC2023 bins with the bundled SED correction.
    ///
    /// - Parameters:
    ///   - floor: systematic floor f as a transit-depth fraction (e.g. 20e-6 for 20 ppm); 0 reproduces the
    ///     calibrated model exactly.
    ///   - defaultTransits: N when a target does not give one.
    public static func calibratedMCS2024(floor: Double = 0, defaultTransits: Int = 1) throws -> ArielPhotonNoise {
        struct Calibration: Decodable {
            let eta: Double
            let jitter_ppm_sqrt_hr: Double
            let c_e_per_s_per_bin: Double
        }
        let url = try NoiseResources.url("calibration", "json")
        let fitted: Calibration
        do {
            fitted = try JSONDecoder().decode(Calibration.self, from: Data(contentsOf: url))
        } catch {
            throw NoiseError.unreadableFile(file: url.path, reason: String(describing: error))
        }
        return try ArielPhotonNoise(
            efficiency: fitted.eta, jitter: fitted.jitter_ppm_sqrt_hr, varianceRate: fitted.c_e_per_s_per_bin,
            collectingArea: Double.pi / 4 * 1.1 * 0.73, floor: floor, defaultTransits: defaultTransits,
            bins: try NoiseBinGrid.adc2023(), sedCorrection: try SEDCorrectionTable.arielMCS2024(),
            calibration: "Ariel MCS known 2024-07-09 Tier-2 counts (ArielRad V2.4.31); Resources/noise/calibration.json")
    }

    /// Per-bin 1σ transit-depth noise after N transits (ascending wavelength, fractions).
    ///
    /// - Throws: ``NoiseError`` when `starTemperature`, `starRadius`, `starDistance` or `transitDuration` is
    ///   missing or not finite and positive, or `transits` < 1.
    public func sigma(for target: NoiseTarget) throws -> [Double] {
        let temperature = try Self.positive(target.starTemperature, "starTemperature")
        let radius = try Self.positive(target.starRadius, "starRadius")
        let distance = try Self.positive(target.starDistance, "starDistance")
        let duration = try Self.positive(target.transitDuration, "transitDuration")
        let transits = target.transits ?? defaultTransits
        guard transits >= 1 else {
            throw NoiseError.invalidTargetProperty(name: "transits", value: Double(transits), reason: "must be ≥ 1")
        }
        let oneTransit = oneTransitVariance(
            temperature: temperature, radius: radius, distance: distance, duration: duration)
        return oneTransit.map { ($0 / Double(transits) + floor * floor).squareRoot() }
    }

    /// σ₁² per bin (one transit, no floor): steps 1–3 of the model.
    func oneTransitVariance(temperature: Double, radius: Double, distance: Double, duration: Double) -> [Double] {
        let tau = 1 / duration + 1 / (2 * duration)
        let jitterVariance = (jitter * 1e-6) * (jitter * 1e-6) * 3600 * tau
        let dilution = pow(radius * Self.solarRadius / (distance * Self.parsec), 2)
        return bins.centres.indices.map { b in
            let unitRate = collectingArea * dilution
                * Self.photonExitance(
                    temperature: temperature, from: bins.lowerEdges[b] * 1e-6, to: bins.upperEdges[b] * 1e-6)
                * pow(10, sedCorrection.correction(temperature: temperature, wavelength: bins.centres[b]))
            let rate = efficiency * unitRate
            return (1 / rate + varianceRate / (rate * rate)) * tau + jitterVariance
        }
    }

    /// ∫ π B_λ(T) λ/(hc) dλ over [low, high] (metres): the photon flux leaving a unit area of a blackbody surface
    /// [photons s⁻¹ m⁻²], by the 64-point midpoint rule the calibration used.
    static func photonExitance(temperature: Double, from low: Double, to high: Double) -> Double {
        let steps = 64
        let width = (high - low) / Double(steps)
        var total = 0.0
        for k in 0..<steps {
            let wavelength = low + (Double(k) + 0.5) * width
            // π B_λ λ/(hc) = 2πc / λ⁴ / (exp(hc/λkT) − 1)
            let exponent = planck * lightSpeed / (wavelength * boltzmann * temperature)
            total += 2 * Double.pi * lightSpeed / pow(wavelength, 4) / expm1(exponent)
        }
        return total * width
    }

    private static func positive(_ value: Double?, _ name: String) throws -> Double {
        guard let value else { throw NoiseError.missingTargetProperty(name) }
        guard value > 0, value.isFinite else {
            throw NoiseError.invalidTargetProperty(name: name, value: value, reason: "must be finite and > 0")
        }
        return value
    }

    // SI 2019 exact constants; IAU 2015 nominal solar radius; IAU 2012 parsec (648000/π au).
    static let planck = 6.626_070_15e-34
    static let lightSpeed = 299_792_458.0
    static let boltzmann = 1.380_649e-23
    static let solarRadius = 6.957e8
    static let parsec = 3.085_677_581_491_367_3e16
}
