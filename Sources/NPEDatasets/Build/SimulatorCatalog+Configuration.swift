import Foundation
import NPESimulators

extension SimulatorCatalog {
    /// The simulator `name` configured by user `options` (a `--simulator-config` file, then `--simulator-option`
    /// keys), for use with `prior`.
    ///
    /// For `ariel-transmission`, an option that adds a simulator input is switched on when the prior declares that
    /// input and no option sets it: a prior with `log_cloud_pressure` gets the grey deck, one with `fill_n2_fraction`
    /// the H2/He/N2 fill. So `--prior ariel-mcs-2024` needs no configuration file. An option that contradicts the prior
    /// (`clouds: none` with a prior that declares `log_cloud_pressure`) is an error, never a silently unused parameter.
    ///
    /// - Throws: ``SimulatorConfigurationError`` for a bad option or a contradiction with the prior;
    ///   ``DatasetBuildError/invalidArgument(field:reason:)`` for options given to a simulator that takes none.
    public static func entry(named name: String, options: [SimulatorOption], prior: Prior? = nil) throws -> Entry {
        guard name == "ariel-transmission" else {
            if let first = options.first {
                throw DatasetBuildError.invalidArgument(
                    field: "simulator configuration",
                    reason: "\(first.source): simulator '\(name)' takes no options (got '\(first.key)')")
            }
            return try entry(named: name)
        }
        let declared = Set(prior?.parameters.map(\.name) ?? [])
        let given = Set(options.map { $0.key == "fill_gas" ? "fill_gas.composition" : $0.key })
        var implied: [SimulatorOption] = []
        let source = prior.map { "<implied by prior \($0.source)>" } ?? "<implied>"
        if declared.contains("log_cloud_pressure") && !given.contains("clouds") {
            implied.append(SimulatorOption(key: "clouds", value: "grey-deck", source: source))
        }
        if declared.contains("fill_n2_fraction") && !given.contains("fill_gas.composition") {
            implied.append(SimulatorOption(key: "fill_gas.composition", value: "h2-he-n2", source: source))
        }
        let configuration = try TransmissionModelConfiguration(options: implied + options)
        if let prior {
            let switches: [(input: String, on: Bool, key: String)] = [
                ("log_cloud_pressure", configuration.cloudDeck, "clouds"),
                ("fill_n2_fraction", configuration.fillGas == .hydrogenHeliumNitrogen, "fill_gas.composition"),
            ]
            for (input, on, key) in switches where declared.contains(input) && !on {
                let option = options.last { $0.key == key || ($0.key == "fill_gas" && key == "fill_gas.composition") }
                throw SimulatorConfigurationError(
                    file: option?.source ?? prior.source, key: key, line: option?.line,
                    problem: .notApplicable(
                        "the prior \(prior.source) declares '\(input)', which this setting leaves unused; "
                            + "drop the parameter from the prior or change the setting"))
            }
        }
        return Entry(
            simulator: try ArielTransmissionSimulator(configuration: configuration), defaultPrior: try Prior.arielADC2023(),
            defaultNoiseModel: .none)
    }

    /// The built-in simulator exactly as a dataset or a model card recorded it: its name, its version, and its
    /// configuration (the JSON object of ``Simulator/configuration`` that datasets store as `simulator_config` and
    /// cards as `dataset.simulator.configuration.simulator_configuration`).
    ///
    /// Every path that re-simulates for a trained model (importance sampling, reference scoring, mock catalogues for
    /// it) goes through here, so a model trained on cloudy spectra is never scored against a clear likelihood.
    ///
    /// - Throws: ``DatasetBuildError/invalidArgument(field:reason:)`` saying why the simulator cannot be rebuilt: not
    ///   built in, another version, an unreadable record, or a recorded setting this build does not reproduce.
    public static func simulator(named name: String, version: String, recordedConfigurationJSON json: String) throws
        -> any Simulator
    {
        func refuse(_ reason: String) -> DatasetBuildError { .invalidArgument(field: "simulator", reason: reason) }
        guard names.contains(name) else { throw refuse("'\(name)' is not built in (known: \(names.joined(separator: ", ")))") }
        guard let recorded = try? JSONDecoder().decode([String: String].self, from: Data(json.utf8)) else {
            throw refuse("the recorded configuration of '\(name)' is not a JSON object of strings")
        }
        let simulator: any Simulator
        if name == "ariel-transmission" {
            do {
                simulator = try ArielTransmissionSimulator(configuration: try TransmissionModelConfiguration(recorded: recorded))
            } catch let error as SimulatorConfigurationError {
                throw refuse("\(name) \(version): \(error)")
            }
        } else {
            simulator = try entry(named: name).simulator
            if let key = Set(recorded.keys).union(simulator.configuration.keys).sorted()
                .first(where: { recorded[$0] != simulator.configuration[$0] })
            {
                throw refuse("\(name) setting '\(key)' was '\(recorded[key] ?? "absent")' when recorded, the built-in one is "
                             + "'\(simulator.configuration[key] ?? "absent")'")
            }
        }
        guard simulator.version == version else {
            throw refuse("the data were simulated with \(name) \(version), the built-in one is \(simulator.version)")
        }
        return simulator
    }
}
