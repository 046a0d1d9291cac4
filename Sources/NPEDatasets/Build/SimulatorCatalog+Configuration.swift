import Foundation
import NPESimulators
import NPETransmission

extension SimulatorCatalog {
    /// How a registered simulator takes user options (`--simulator-config`, `--simulator-option`) and is rebuilt
    /// from the configuration a dataset or a card recorded. A simulator without it takes no options and is rebuilt
    /// only when the record equals its fixed configuration.
    public struct Configurability: Sendable {
        /// The entry configured by `options`, for use with `prior` (which may imply options or contradict them).
        public var configure: @Sendable (_ options: [SimulatorOption], _ prior: Prior?) throws -> Entry
        /// The simulator exactly as recorded (the JSON object of ``Simulator/configuration``).
        public var rebuild: @Sendable (_ recorded: [String: String]) throws -> any Simulator

        public init(configure: @escaping @Sendable ([SimulatorOption], Prior?) throws -> Entry,
                    rebuild: @escaping @Sendable ([String: String]) throws -> any Simulator) {
            self.configure = configure
            self.rebuild = rebuild
        }
    }

    /// The simulator `name` configured by user `options` (a `--simulator-config` file, then `--simulator-option`
    /// keys), for use with `prior`.
    ///
    /// - Throws: the simulator's own configuration error (``SimulatorConfigurationError`` for the ARIEL model);
    ///   ``DatasetBuildError/invalidArgument(field:reason:)`` for options given to a simulator that takes none.
    public func entry(named name: String, options: [SimulatorOption], prior: Prior? = nil) throws -> Entry {
        guard let configurability = configurability(of: name) else {
            if let first = options.first {
                throw DatasetBuildError.invalidArgument(
                    field: "simulator configuration",
                    reason: "\(first.source): simulator '\(name)' takes no options (got '\(first.key)')")
            }
            return try entry(named: name)
        }
        return try configurability.configure(options, prior)
    }

    /// The registered simulator exactly as a dataset or a model card recorded it: its name, its version, and its
    /// configuration (the JSON object of ``Simulator/configuration`` that datasets store as `simulator_config` and
    /// cards as `dataset.simulator.configuration.simulator_configuration`).
    ///
    /// Every path that re-simulates for a trained model (importance sampling, reference scoring, mock catalogues for
    /// it) goes through here, so a model trained on cloudy spectra is never scored against a clear likelihood.
    ///
    /// - Throws: ``DatasetBuildError/invalidArgument(field:reason:)`` saying why the simulator cannot be rebuilt: not
    ///   registered, another version, an unreadable record, or a recorded setting this build does not reproduce.
    public func simulator(named name: String, version: String, recordedConfigurationJSON json: String) throws -> any Simulator {
        func refuse(_ reason: String) -> DatasetBuildError { .invalidArgument(field: "simulator", reason: reason) }
        guard recognizes(recorded: name) else { throw refuse("'\(name)' is not built in (known: \(names.joined(separator: ", ")))") }
        guard let recorded = try? JSONDecoder().decode([String: String].self, from: Data(json.utf8)) else {
            throw refuse("the recorded configuration of '\(name)' is not a JSON object of strings")
        }
        let simulator: any Simulator
        if let rebuild = schemeRebuild(ofRecorded: name) {
            do { simulator = try rebuild(recorded) } catch { throw refuse("\(error)") }
        } else if let configurability = configurability(of: name) {
            do {
                simulator = try configurability.rebuild(recorded)
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

    /// ``standard``'s configured entry.
    public static func entry(named name: String, options: [SimulatorOption], prior: Prior? = nil) throws -> Entry {
        try standard.entry(named: name, options: options, prior: prior)
    }

    /// ``standard``'s rebuild from a record.
    public static func simulator(named name: String, version: String, recordedConfigurationJSON json: String) throws -> any Simulator {
        try standard.simulator(named: name, version: version, recordedConfigurationJSON: json)
    }
}
