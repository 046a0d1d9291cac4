/// Settings of ``TransmissionModel`` that change its outputs. The defaults are the ADC2023 / TauREx 3 set-up of
/// `FORWARD_MODEL.md` §2.2: 100 layers from 1e6 to 1e-5 Pa, isothermal, H2/He fill with He/H2 = 0.17, perfectly
/// correlated k-sum, no clouds.
///
/// A configuration is read from a simulator-configuration YAML file or inline `KEY=VALUE` options
/// (``init(options:)``, `docs/dataset-build.md`), and recorded in provenance both for people (``provenance``) and as
/// its canonical option list (``provenanceOptionsKey``), from which ``init(recorded:)`` rebuilds it exactly.
public struct TransmissionModelConfiguration: Sendable, Equatable {
    /// The temperature–pressure profile.
    public enum TemperatureProfile: Sendable, Equatable {
        /// T(P) = `planet_temp` everywhere (the ADC2023 choice).
        case isothermal
        /// Guillot 2010 (A&A 520, A27, eq. 29) with planet-averaged redistribution (f = 1/4, T_irr⁴ f = T_eq⁴) and
        /// τ = κ_IR P / g₀:
        /// T⁴ = ¾ T_int⁴ (⅔ + τ) + ¾ T_eq⁴ [⅔ + 1/(γ√3) + (γ/√3 − 1/(γ√3)) e^{−γτ√3}],
        /// where T_eq is the `planet_temp` input. κ_IR [m² kg⁻¹] = 10^`logKappaIR`, γ = 10^`logGamma`,
        /// T_int [K] = `internalTemperature`.
        case guillot2010(logKappaIR: Double, logGamma: Double, internalTemperature: Double)
    }

    /// How the k-distributions of several gases are combined in a layer.
    public enum GasOverlap: String, Sendable, Equatable {
        /// TauREx 3: Σ_gas X·k at the same g index ("perfect correlation"), one g along the whole chord.
        case perfectCorrelation = "k-sum"
        /// Random overlap with resorting and rebinning (Lacis & Oinas 1991; Amundsen et al. 2017), per layer; the
        /// mixed k-distribution is then perfectly correlated along the chord. More physical; differs from TauREx by up
        /// to ~19% of the feature amplitude where gases overlap. About 30 times slower.
        case randomOverlap = "rorr"
    }

    /// What fills the atmosphere besides the trace gases.
    public enum FillGas: String, Sendable, Equatable, CaseIterable {
        /// H2 and He at ``heliumToHydrogenRatio`` (TauREx `fill_gases=['H2','He']`): a primary envelope, μ ≈ 2.3.
        case hydrogenHelium = "h2-he"
        /// H2/He plus N2, split by the `fill_n2_fraction` input f ∈ [0, 1]: X_N2 = f·(1 − ΣX_trace), and H2/He share
        /// the rest at the same He/H2 ratio (TauREx `fill_gases=['H2','He','N2']` with N2/H2 = f(1 + r)/(1 − f)).
        /// The fill's mean molecular weight is then linear in f, from 2.30 (f = 0) to 28.01 u (f = 1, a pure N2
        /// secondary atmosphere). N2 is spectrally inactive here apart from Rayleigh scattering (TauREx's formula);
        /// N2–N2 and N2–H2 collision-induced absorption are not modelled (no shipped tables).
        case hydrogenHeliumNitrogen = "h2-he-n2"
    }

    public var temperatureProfile: TemperatureProfile = .isothermal
    public var gasOverlap: GasOverlap = .perfectCorrelation
    /// Adds a grey, fully opaque cloud deck: every layer with P ≥ P_cloud gets τ = ∞ (TauREx
    /// `SimpleCloudsContribution`, layer-discrete). P_cloud comes from the `log_cloud_pressure` input (log10 Pa).
    public var cloudDeck: Bool = false
    /// He/H2 number ratio of the fill gas.
    public var heliumToHydrogenRatio: Double = 0.17
    /// The fill gas; ``FillGas/hydrogenHeliumNitrogen`` adds the `fill_n2_fraction` input.
    public var fillGas: FillGas = .hydrogenHelium
    /// Pa per unit of the k-tables' pressure axis. The default, 1e5, is what TauREx 3.3.2's `NemesisKTables` reader
    /// does (it takes the axis as bar), so spectra match TauREx's to 1e-3 ppm. The NEMESIS convention (and
    /// FORWARD_MODEL.md §2.2) says atm: set 101325 for that. The two differ by at most 0.06 ppm on the ADC-like case.
    public var kTablePressureUnitInPascal: Double = 1e5

    /// Layers and pressure range are fixed at the TauREx/ADC values (the k-table interpolation structure is
    /// precomputed for them).
    public static let layerCount = 100
    public static let bottomPressure = 1e6
    public static let topPressure = 1e-5

    public init(
        temperatureProfile: TemperatureProfile = .isothermal, gasOverlap: GasOverlap = .perfectCorrelation,
        cloudDeck: Bool = false, fillGas: FillGas = .hydrogenHelium
    ) {
        self.temperatureProfile = temperatureProfile
        self.gasOverlap = gasOverlap
        self.cloudDeck = cloudDeck
        self.fillGas = fillGas
    }

    /// The settings as strings, for dataset provenance.
    public var provenance: [String: String] {
        var result: [String: String] = [
            "scheme": "TauREx 3.3.2 transmission (FORWARD_MODEL.md 2.2), forward-difference dz",
            "layers": "\(Self.layerCount) from \(Self.bottomPressure) Pa to \(Self.topPressure) Pa",
            "fill_gas": fillGas == .hydrogenHelium
                ? "H2+He, He/H2=\(heliumToHydrogenRatio)"
                : "H2+He+N2, He/H2=\(heliumToHydrogenRatio), N2 fraction of the fill from fill_n2_fraction",
            "gas_overlap": gasOverlap.rawValue,
            "opacities": "H2O, CO2, CO, CH4: ARIEL correlated-k tables (Katy_ARIEL_test, 20 g-points); "
                + "k-table pressure unit \(kTablePressureUnitInPascal) Pa",
            "nh3": AmmoniaBandModel.provenance,
            "rayleigh": fillGas == .hydrogenHelium
                ? "H2, He, H2O, CO2, CO, CH4, NH3 (TauREx formulas)"
                : "H2, He, H2O, CO2, CO, CH4, NH3, N2 (TauREx formulas)",
            "cia": "H2-H2, H2-He (Borysow)",
            "clouds": cloudDeck ? "grey deck, tau=inf for P >= 10^log_cloud_pressure Pa" : "none",
            "output": "transit depth (Rp/Rs)^2 as a fraction, 52 ADC2023 bins, ascending wavelength",
        ]
        switch temperatureProfile {
        case .isothermal:
            result["temperature_profile"] = "isothermal"
        case let .guillot2010(logKappaIR, logGamma, internalTemperature):
            result["temperature_profile"] =
                "guillot2010 log_kappa_ir=\(logKappaIR) log_gamma=\(logGamma) t_int=\(internalTemperature)"
        }
        // The default configuration records no option list, so datasets and cards made before options existed
        // still describe it exactly.
        if self != TransmissionModelConfiguration() { result[Self.provenanceOptionsKey] = canonicalOptionsText }
        return result
    }
}
