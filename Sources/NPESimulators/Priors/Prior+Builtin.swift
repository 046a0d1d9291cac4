import Foundation

extension Prior {
    /// The default prior of the ARIEL transmission model, `Resources/priors/ariel-adc2023.yaml` (ranges are
    /// justified in the file's comments).
    ///
    /// theta (D = 7, in this order): `planet_radius` [R_J], `planet_temp` [K], `log_H2O`, `log_CO2`, `log_CO`,
    /// `log_CH4`, `log_NH3` (log10 volume mixing ratios); context (A = 2): `planet_mass` [M_J],
    /// `star_radius` [R_sun].
    ///
    /// - Throws: ``PriorError`` if the bundled file is missing or invalid (a packaging fault).
    public static func arielADC2023() throws -> Prior { try builtin(named: "ariel-adc2023") }

    /// The default prior for the whole Ariel MCS known-planet list, `Resources/priors/ariel-mcs-2024.yaml`: the
    /// ADC2023 gases, a grey cloud deck (`log_cloud_pressure`) and a free H2/He/N2 fill (`fill_n2_fraction`), with
    /// planet masses from 0.003 M_J (~1 M_⊕) and host radii 0.1–3.6 R_☉ (`docs/dataset-build.md`, "The Ariel MCS
    /// prior", justifies the ranges and the parameterisation).
    ///
    /// - Throws: ``PriorError`` if the bundled file is missing or invalid (a packaging fault).
    public static func arielMCS2024() throws -> Prior { try builtin(named: "ariel-mcs-2024") }

    /// The names ``builtin(named:)`` knows, which commands accept wherever they take a prior file.
    public static let builtinNames = ["ariel-adc2023", "ariel-mcs-2024"]

    /// The bundled prior `NAME` (one of ``builtinNames``), with source `<builtin:NAME>`.
    ///
    /// - Throws: ``PriorError`` if there is no such prior in the bundle, or it is invalid.
    public static func builtin(named name: String) throws -> Prior {
        try Prior(yaml: try yamlText(of: builtinURL(named: name)), source: "<builtin:\(name)>")
    }

    /// The URL of a bundled prior file `Resources/priors/NAME.yaml`.
    public static func builtinURL(named name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Resources/priors")
        else {
            throw PriorError(file: "<builtin:\(name)>", problem: .unreadableFile(reason: "not in the bundle"))
        }
        return url
    }
}
