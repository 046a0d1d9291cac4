import Foundation
import NPESimulators

/// The configuration as user options (`docs/dataset-build.md`, "Simulator configuration"), and back.
///
/// Keys (dotted; a YAML file nests them):
///
/// | key | values | default |
/// |---|---|---|
/// | `clouds` | `none`, `grey-deck` (adds the input `log_cloud_pressure`, log10 Pa) | `none` |
/// | `temperature.profile` (or `temperature`) | `isothermal`, `guillot2010` | `isothermal` |
/// | `temperature.log_kappa_ir`, `temperature.log_gamma`, `temperature.internal_temperature` | numbers (log10 m² kg⁻¹, log10, K); required for `guillot2010` | – |
/// | `gas_overlap` | `k-sum`, `random-overlap` | `k-sum` |
/// | `fill_gas.composition` (or `fill_gas`) | `h2-he`, `h2-he-n2` (adds the input `fill_n2_fraction`) | `h2-he` |
/// | `fill_gas.he_h2_ratio` | a number > 0 | 0.17 |
/// | `k_table_pressure_unit` | Pa per unit of the k-tables' pressure axis, > 0 | 1e5 |
extension TransmissionModelConfiguration {
    /// The key of ``provenance`` that holds ``canonicalOptionsText`` (absent for the default configuration).
    public static let provenanceOptionsKey = "options"

    /// Every option key, in the order ``canonicalOptions`` lists them.
    public static let optionKeys = [
        "clouds", "temperature.profile", "temperature.log_kappa_ir", "temperature.log_gamma",
        "temperature.internal_temperature", "gas_overlap", "fill_gas.composition", "fill_gas.he_h2_ratio",
        "k_table_pressure_unit",
    ]

    /// Builds a configuration from options; later options override earlier ones for the same key.
    ///
    /// - Throws: ``SimulatorConfigurationError`` naming the source, line and key for an unknown key, a value that is
    ///   not allowed, a Guillot profile without its three parameters, or Guillot parameters given for another profile.
    public init(options: [SimulatorOption]) throws {
        self.init()
        var latest: [String: SimulatorOption] = [:]
        for option in options {
            // Shorthands: a scalar `temperature:` or `fill_gas:` names the profile or the composition.
            var option = option
            if option.key == "temperature" { option.key = "temperature.profile" }
            if option.key == "fill_gas" { option.key = "fill_gas.composition" }
            guard Self.optionKeys.contains(option.key) else {
                throw SimulatorConfigurationError(
                    file: option.source, key: option.key, line: option.line, problem: .unknownKey(known: Self.optionKeys))
            }
            latest[option.key] = option
        }
        func fail(_ option: SimulatorOption, _ problem: SimulatorConfigurationError.Problem) -> SimulatorConfigurationError {
            SimulatorConfigurationError(file: option.source, key: option.key, line: option.line, problem: problem)
        }
        func choice(_ key: String, _ allowed: [String]) throws -> String? {
            guard let option = latest[key] else { return nil }
            guard allowed.contains(option.value) else { throw fail(option, .notOneOf(option.value, allowed: allowed)) }
            return option.value
        }
        func number(_ key: String, positive: Bool = false) throws -> Double? {
            guard let option = latest[key] else { return nil }
            guard let value = Double(option.value), value.isFinite else { throw fail(option, .notANumber(option.value)) }
            if positive && !(value > 0) { throw fail(option, .invalidValue("\(value) must be > 0")) }
            return value
        }

        if let clouds = try choice("clouds", ["none", "grey-deck"]) { cloudDeck = clouds == "grey-deck" }
        if let overlap = try choice("gas_overlap", ["k-sum", "random-overlap", "rorr"]) {
            gasOverlap = overlap == "k-sum" ? .perfectCorrelation : .randomOverlap
        }
        if let fill = try choice("fill_gas.composition", FillGas.allCases.map(\.rawValue)) { fillGas = FillGas(rawValue: fill)! }
        if let ratio = try number("fill_gas.he_h2_ratio", positive: true) { heliumToHydrogenRatio = ratio }
        if let unit = try number("k_table_pressure_unit", positive: true) { kTablePressureUnitInPascal = unit }

        let guillotKeys = ["temperature.log_kappa_ir", "temperature.log_gamma", "temperature.internal_temperature"]
        let profile = try choice("temperature.profile", ["isothermal", "guillot2010"]) ?? "isothermal"
        if profile == "guillot2010" {
            var values: [Double] = []
            for key in guillotKeys {
                guard let value = try number(key) else {
                    let at = latest["temperature.profile"]!
                    throw SimulatorConfigurationError(
                        file: at.source, key: key, line: at.line,
                        problem: .missing("a guillot2010 profile needs log_kappa_ir, log_gamma and internal_temperature"))
                }
                values.append(value)
            }
            if values[2] < 0 { throw fail(latest[guillotKeys[2]]!, .invalidValue("\(values[2]) K must be ≥ 0")) }
            temperatureProfile = .guillot2010(logKappaIR: values[0], logGamma: values[1], internalTemperature: values[2])
        } else if let stray = guillotKeys.compactMap({ latest[$0] }).first {
            throw fail(stray, .notApplicable("only a guillot2010 temperature profile takes this parameter"))
        }
    }

    /// Every option with its value, in ``optionKeys`` order (Guillot parameters only for that profile). Numbers are
    /// written in Swift's shortest round-tripping form, so ``init(options:)`` of these gives this value back exactly.
    public var canonicalOptions: [(key: String, value: String)] {
        var result: [(key: String, value: String)] = [("clouds", cloudDeck ? "grey-deck" : "none")]
        switch temperatureProfile {
        case .isothermal:
            result.append(("temperature.profile", "isothermal"))
        case let .guillot2010(logKappaIR, logGamma, internalTemperature):
            result += [
                ("temperature.profile", "guillot2010"), ("temperature.log_kappa_ir", "\(logKappaIR)"),
                ("temperature.log_gamma", "\(logGamma)"), ("temperature.internal_temperature", "\(internalTemperature)"),
            ]
        }
        result += [
            ("gas_overlap", gasOverlap == .perfectCorrelation ? "k-sum" : "random-overlap"),
            ("fill_gas.composition", fillGas.rawValue), ("fill_gas.he_h2_ratio", "\(heliumToHydrogenRatio)"),
            ("k_table_pressure_unit", "\(kTablePressureUnitInPascal)"),
        ]
        return result
    }

    /// ``canonicalOptions`` as one line, `key=value; key=value; …`, the form provenance records.
    public var canonicalOptionsText: String {
        canonicalOptions.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }

    /// Rebuilds the configuration that produced a recorded ``provenance`` (a dataset's `simulator_config`, a card's
    /// lineage), and checks that this build of the model describes it identically.
    ///
    /// A record without ``provenanceOptionsKey`` is the default configuration (which records none).
    ///
    /// - Throws: ``SimulatorConfigurationError`` (file `<recorded>`) when the option list does not parse, or when a
    ///   recorded setting differs from the rebuilt one, naming the first such key: a cloudy model is then never
    ///   scored against a clear likelihood, nor a model against a changed simulator.
    public init(recorded: [String: String]) throws {
        let source = "<recorded>"
        var options: [SimulatorOption] = []
        if let text = recorded[Self.provenanceOptionsKey] {
            for item in text.split(separator: ";") {
                options.append(try SimulatorOption(inline: item.trimmingCharacters(in: .whitespaces), source: source))
            }
        }
        try self.init(options: options)
        let rebuilt = provenance
        if let key = Set(recorded.keys).union(rebuilt.keys).sorted().first(where: { recorded[$0] != rebuilt[$0] }) {
            throw SimulatorConfigurationError(
                file: source, key: key,
                problem: .recordedMismatch(recorded: recorded[key] ?? "absent", rebuilt: rebuilt[key] ?? "absent"))
        }
    }
}
