import Foundation
import NPESimulators

/// **APPROXIMATE** NH3 opacity: an effective k-distribution per ADC bin from a vibrational band model, because no real
/// NH3 k-table is available (`FORWARD_MODEL.md`, appendix). Use NH3 results as order-of-magnitude only.
///
/// Bin-mean cross section: σ̄_bin(T) = Σ_bands S_b · ∫_bin φ_b(ν; T) dν / Δν_bin, with
/// * S_b the 296 K integrated band intensity (hot bands are taken to compensate the ground-state depopulation);
/// * φ_b a Gaussian envelope with HWHM = √(2Bθ), θ = kT/hc = 0.695·T cm⁻¹, B = 9.94 cm⁻¹ (NH3 ground state). The
///   Q branch is folded into this envelope: it is far narrower than the bins (R ≤ 50).
///
/// Within-bin distribution: log-normal, k(g) = σ̄ · exp(s Φ⁻¹(g) − s²/2), whose mean is σ̄. The spread s is
/// calibrated on the real tables (``calibratedSpread(from:)``). The result does not depend on pressure.
///
/// Bands (centre cm⁻¹, S in cm molecule⁻¹, order-of-magnitude values from Herzberg 1945 and HITRAN band statistics):
/// ν2 950/968 (2e-17 in all), ν4 1627 (4e-18), ν1 3337 / ν3 3444 / 2ν4 3216 (1e-18 in all), ν1+ν4 / ν3+ν4
/// 4950/5050 (1.5e-19 in all), 2ν3 / ν1+ν3 6600/6850 (3e-20 in all).
public enum AmmoniaBandModel {
    /// The label written into provenance wherever NH3 is used.
    public static let provenance =
        "APPROXIMATE band model (Gaussian band envelopes from 296 K band intensities, log-normal k-distribution); "
        + "no real NH3 k-table"

    /// (centre [cm⁻¹], integrated intensity [cm molecule⁻¹]).
    static let bands: [(centre: Double, intensity: Double)] = [
        (950, 1e-17), (968, 1e-17),
        (1627, 4e-18),
        (3216, 1e-18 / 3), (3337, 1e-18 / 3), (3444, 1e-18 / 3),
        (4950, 0.75e-19), (5050, 0.75e-19),
        (6600, 1.5e-20), (6850, 1.5e-20),
    ]
    /// NH3 ground-state rotational constant B [cm⁻¹].
    static let rotationalConstant = 9.94

    /// Bin-mean σ̄ [m²] for a bin from `lowWavenumber` to `highWavenumber` [cm⁻¹] at temperature T [K].
    public static func binMeanCrossSection(
        lowWavenumber: Double, highWavenumber: Double, temperature: Double
    ) -> Double {
        let theta = 0.695 * temperature
        let halfWidth = (2 * rotationalConstant * theta).squareRoot()
        let sigmaGauss = halfWidth / (2 * log(2.0)).squareRoot()
        var total = 0.0
        for band in bands {
            let upper = normalCDF((highWavenumber - band.centre) / sigmaGauss)
            let lower = normalCDF((lowWavenumber - band.centre) / sigmaGauss)
            total += band.intensity * (upper - lower)
        }
        return total / (highWavenumber - lowWavenumber) * 1e-4
    }

    /// The log-normal spread s: the median, over the real tables' bins where a gas absorbs strongly (bin mean above
    /// 1e-26 m²), of the weighted standard deviation of ln k over g, at the temperature node closest to 1000 K and the
    /// middle pressure node.
    public static func calibratedSpread(from tables: [CorrelatedKTable]) -> Double {
        var spreads: [Double] = []
        for table in tables {
            let nP = table.pressures.count, nT = table.temperatures.count, nG = table.gPoints.count
            let t = table.temperatures.indices.min(by: {
                abs(table.temperatures[$0] - 1000) < abs(table.temperatures[$1] - 1000)
            })!
            let p = nP / 2
            for b in table.wavelengths.indices {
                let base = ((b * nP + p) * nT + t) * nG
                let ks = table.values[base..<base + nG]
                let mean = zip(ks, table.weights).reduce(0) { $0 + $1.0 * $1.1 }
                guard mean > 1e-26, ks.allSatisfy({ $0 > 0 }) else { continue }
                let logMean = zip(ks, table.weights).reduce(0) { $0 + log($1.0) * $1.1 }
                let variance = zip(ks, table.weights).reduce(0) { $0 + $1.1 * pow(log($1.0) - logMean, 2) }
                spreads.append(variance.squareRoot())
            }
        }
        guard !spreads.isEmpty else { return 2.5 }  // the appendix's typical value, if no bin qualifies
        spreads.sort()
        return spreads[spreads.count / 2]
    }

    /// The NH3 k-table [m²], `[bin][temperature][g]`, on the k-tables' temperatures and g-points.
    static func table(
        grid: ArielWavelengthGrid, temperatures: [Double], gPoints: [Double], spread: Double
    ) -> [Double] {
        let shape = gPoints.map { exp(spread * inverseNormalCDF($0) - spread * spread / 2) }
        var values: [Double] = []
        values.reserveCapacity(grid.centres.count * temperatures.count * gPoints.count)
        for b in grid.centres.indices {
            let low = 1e4 / grid.upperEdges[b], high = 1e4 / grid.lowerEdges[b]
            for temperature in temperatures {
                let mean = binMeanCrossSection(lowWavenumber: low, highWavenumber: high, temperature: temperature)
                values.append(contentsOf: shape.map { mean * $0 })
            }
        }
        return values
    }

    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation (relative error < 1.2e-9) refined by one Halley step.
    static func inverseNormalCDF(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = normalCDF(x) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        return x - u / (1 + x * u / 2)
    }
}
