import NPESimulators

/// The simulators `--simulator NAME` can name: a registry of factories, each making a simulator with the prior and
/// noise model a dataset uses when none is given.
///
/// A plain name (`ariel-transmission`) selects a registered simulator; a name with a scheme (`exec:sim.yaml`)
/// hands the text after the colon to the factory registered for that scheme. A new simulator is one
/// ``register(_:configurability:factory:)`` call in ``standard`` (see `SimulatorCatalog+Builtin.swift`), not a new case in
/// a switch.
public struct SimulatorCatalog: Sendable {
    /// A registered simulator with the prior and noise model a dataset uses when none is given.
    public struct Entry: Sendable {
        /// The model.
        public var simulator: any Simulator
        /// The prior used when no prior file is given.
        public var defaultPrior: Prior
        /// The noise model recorded in the dataset when none is declared.
        public var defaultNoiseModel: NoiseModel

        public init(simulator: any Simulator, defaultPrior: Prior, defaultNoiseModel: NoiseModel) {
            self.simulator = simulator
            self.defaultPrior = defaultPrior
            self.defaultNoiseModel = defaultNoiseModel
        }
    }

    /// Makes an entry; `argument` is the text after `scheme:` for scheme registrations, nil for plain names.
    public typealias Factory = @Sendable (_ argument: String?) throws -> Entry

    private struct Registration: Sendable {
        var name: String
        var isScheme: Bool
        var factory: Factory
        var configurability: Configurability?
        /// For a scheme: rebuilds a recorded simulator of this family (its name is `scheme:…`).
        var rebuild: (@Sendable ([String: String]) throws -> any Simulator)?
    }

    private var registrations: [Registration] = []

    /// An empty catalogue; ``standard`` holds the built-ins.
    public init() {}

    /// Registers `name` (a plain simulator name). A later registration of the same name replaces the earlier one.
    ///
    /// - Parameter configurability: how the simulator takes user options and is rebuilt from a record; nil for a
    ///   simulator with a fixed configuration.
    public mutating func register(_ name: String, configurability: Configurability? = nil, factory: @escaping Factory) {
        registrations.removeAll { $0.name == name && !$0.isScheme }
        registrations.append(Registration(name: name, isScheme: false, factory: factory, configurability: configurability, rebuild: nil))
    }

    /// The options and rebuild of the plain simulator `name`, if it takes any.
    func configurability(of name: String) -> Configurability? {
        registrations.first { !$0.isScheme && $0.name == name }?.configurability
    }

    /// Registers a scheme: `scheme:ARGUMENT` calls `factory(ARGUMENT)`.
    ///
    /// - Parameter rebuild: how a simulator of this family that a dataset or a card recorded (its ``Simulator/name``
    ///   starts with `scheme:`) is rebuilt from its recorded ``Simulator/configuration``; nil when it cannot be.
    public mutating func registerScheme(_ scheme: String, rebuild: (@Sendable ([String: String]) throws -> any Simulator)? = nil,
                                        factory: @escaping Factory) {
        registrations.removeAll { $0.name == scheme && $0.isScheme }
        registrations.append(Registration(name: scheme, isScheme: true, factory: factory, configurability: nil, rebuild: rebuild))
    }

    /// The rebuild of the scheme a recorded simulator name (`scheme:…`) belongs to, if one is registered.
    func schemeRebuild(ofRecorded name: String) -> (@Sendable ([String: String]) throws -> any Simulator)? {
        guard let colon = name.firstIndex(of: ":") else { return nil }
        return registrations.first { $0.isScheme && $0.name == name[..<colon] }?.rebuild
    }

    /// Whether a simulator recorded under `name` (a dataset's or a card's) can be rebuilt by this catalogue: a
    /// registered plain name, or a name of a registered scheme's family that has a rebuild.
    public func recognizes(recorded name: String) -> Bool {
        registrations.contains { !$0.isScheme && $0.name == name } || schemeRebuild(ofRecorded: name) != nil
    }

    /// Every name a user can give, in registration order; schemes are shown as `scheme:…`.
    public var names: [String] { registrations.map { $0.isScheme ? "\($0.name):…" : $0.name } }

    /// Makes the simulator called `name`.
    ///
    /// - Throws: ``DatasetBuildError/unknownSimulator(name:known:)``, or the factory's own error (a loading error,
    ///   a malformed description file).
    public func entry(named name: String) throws -> Entry {
        if let plain = registrations.first(where: { !$0.isScheme && $0.name == name }) {
            return try plain.factory(nil)
        }
        if let colon = name.firstIndex(of: ":"),
           let scheme = registrations.first(where: { $0.isScheme && $0.name == name[..<colon] }) {
            return try scheme.factory(String(name[name.index(after: colon)...]))
        }
        throw DatasetBuildError.unknownSimulator(name: name, known: names)
    }

    /// The names of ``standard``.
    public static var names: [String] { standard.names }

    /// ``standard``'s entry for `name`.
    public static func entry(named name: String) throws -> Entry { try standard.entry(named: name) }
}
