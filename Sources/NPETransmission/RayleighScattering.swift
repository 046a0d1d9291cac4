import Foundation
import NPESimulators

/// Rayleigh scattering cross sections σ(ν) [m² molecule⁻¹], the formulas of TauREx 3.3.2 (`taurex.util.scattering`).
///
/// * H2 (Dalgarno & Williams 1962): σ = 8.14e-13 λ⁻⁴ (1 + 1.572e6 λ⁻² + 1.981e12 λ⁻⁴) cm², λ in Å.
/// * He: σ = 5.484e-14 λ⁻⁴ (1 + 2.44e5 λ⁻²) cm², λ in Å.
/// * Molecules, from the refractive index n(λ) and King correction factor F_K:
///   σ = 24π³ F_K / (n_L² λ⁴) · ((n² − 1)/(n² + 2))², with n_L = 2.6867805e25 m⁻³ and λ in m.
///   n(λ) and F_K per gas are TauREx's (H2O: 0.85 × (n_air − 1), Ciddor 1996 n_air, δ = 0.17; CO2: Sneep & Ubachs 2005,
///   F_K = 1.1364; CO: n − 1 = 32.7e-5 (1 + 8.1e-3/λ²µm), F_K = 1.016; CH4: n − 1 = 1e-8 (46662 + 4.02e-6/λ²cm);
///   NH3: n − 1 = 37.0e-5 (1 + 12.0e-3/λ²µm); N2: n − 1 = 1e-8 (6498.2 + 307.43305e12/(14.4e9 − ν²)), ν in cm⁻¹,
///   F_K = 1.034 + 3.17e-12 ν²).
///
/// References: TauREx 3 (Al-Refaie et al. 2021, ApJ 917, 37); Sneep & Ubachs 2005 (JQSRT 92, 293).
public enum RayleighScattering {
    /// σ [m²] of `gas` (a formula: "H2", "He", "H2O", "CO2", "CO", "CH4", "NH3", "N2") at wavenumber ν [cm⁻¹], or nil for a
    /// gas without a formula.
    public static func crossSection(of gas: String, wavenumber x: Double) -> Double? {
        let wavelengthMicron = 10000.0 / x
        switch gas {
        case "H2":
            let wave = 1e8 / x
            return 8.14e-13 * pow(wave, -4) * (1 + 1.572e6 * pow(wave, -2) + 1.981e12 * pow(wave, -4)) * 1e-4
        case "He":
            let wave = 1e8 / x
            return 5.484e-14 * pow(wave, -4) * (1 + 2.44e5 * pow(wave, -2)) * 1e-4
        case "CO2":
            let w2 = pow(wavelengthMicron, -2)
            let n = 1 + 6.991e-2 / (166.175 - w2) + 1.44720e-3 / (79.609 - w2) + 6.42941e-5 / (56.3064 - w2)
                + 5.21306e-5 / (46.0196 - w2) + 1.46847e-6 / (0.0584738 - w2)
            return refractiveCrossSection(wavenumber: x, n: n, king: 1.1364)
        case "CH4":
            let n = 1 + 1e-8 * (46662.0 + 4.02 * 1e-6 * pow(1 / (wavelengthMicron * 1e-4), 2))
            return refractiveCrossSection(wavenumber: x, n: n, king: 1)
        case "CO":
            let n = 1 + 32.7e-5 * (1 + 8.1e-3 / pow(wavelengthMicron, 2))
            return refractiveCrossSection(wavenumber: x, n: n, king: 1.016)
        case "NH3":
            let n = 1 + 37.0e-5 * (1 + 12.0e-3 / pow(wavelengthMicron, 2))
            return refractiveCrossSection(wavenumber: x, n: n, king: 1)
        case "N2":
            // Refractive index of N2 with ν in cm⁻¹ (Bates 1984 form, as TauREx writes it); F_K = 1.034 + 3.17e-12 ν².
            let n = 1 + (6498.2 + 307.43305e12 / (14.4e9 - x * x)) * 1e-8
            return refractiveCrossSection(wavenumber: x, n: n, king: 1.034 + 3.17e-12 * x * x)
        case "H2O":
            let w2 = pow(wavelengthMicron, -2)
            let nAir = 1 + (0.05792105 / (238.0185 - w2) + 0.00167917 / (57.362 - w2))
            let delta = 0.17
            return refractiveCrossSection(
                wavenumber: x, n: 0.85 * (nAir - 1) + 1, king: (6 + 3 * delta) / (6 - 7 * delta))
        default:
            return nil
        }
    }

    static func refractiveCrossSection(wavenumber: Double, n: Double, king: Double) -> Double {
        let wavelength = (10000.0 / wavenumber) * 1e-6
        let factor = (n * n - 1) / (PhysicalConstants.loschmidtRayleigh * (n * n + 2))
        return 24 * pow(Double.pi, 3) * king * factor * factor / pow(wavelength, 4)
    }
}
