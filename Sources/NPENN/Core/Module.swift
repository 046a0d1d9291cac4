import NPETensor

/// A network component with explicit, named parameters.
///
/// Names are stable dotted paths (`"layers.0.weight"`), in a fixed order. That order is what the optimizer,
/// the gradient all-reduce and the saved parameter dictionary rely on, so two replicas built from the same
/// description always agree on it.
public protocol Module: AnyObject {
    /// The trainable parameters, each under its dotted name, in a fixed order.
    var namedParameters: [(name: String, parameter: Variable)] { get }
    /// Non-trainable state that is part of the model (batch normalisation's running mean and variance), each
    /// under its dotted name, in a fixed order. The optimizer and the gradient all-reduce never see these (they
    /// read ``parameters``); ``parameterDictionary()`` and ``load(_:)`` save and restore them with the
    /// parameters, so a saved model is complete. Defaults to none; a container must forward its children's
    /// (see ``prefixedBuffers(_:_:)``).
    var namedBuffers: [(name: String, buffer: Variable)] { get }
}

/// A module that maps one batch to another.
public protocol Layer: Module {
    func callAsFunction(_ input: Variable) throws -> Variable
}

/// Errors from loading parameters into a module.
public enum ModuleError: Error, Equatable, CustomStringConvertible {
    case missingParameter(String)
    case unexpectedParameter(String)
    case parameterShapeMismatch(name: String, expected: [Int], got: [Int])
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case let .missingParameter(name): return "parameter '\(name)' is missing from the dictionary"
        case let .unexpectedParameter(name): return "the dictionary has '\(name)', which this network does not"
        case let .parameterShapeMismatch(name, expected, got):
            return "parameter '\(name)' has shape \(got), the network expects \(expected)"
        case let .invalidConfiguration(why): return "invalid network configuration: \(why)"
        }
    }
}

extension Module {
    /// No buffers: most modules have none.
    public var namedBuffers: [(name: String, buffer: Variable)] { [] }

    /// The parameters in order, without names.
    public var parameters: [Variable] { namedParameters.map(\.parameter) }

    /// The total number of scalars in all parameters.
    public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.parameter.value.count } }

    /// The flat, named tensor dictionary of the current parameter values and buffers (what the registry
    /// stores). Buffer names share the namespace with parameter names.
    public func parameterDictionary() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: namedState.map { ($0.name, $0.parameter.value) })
    }

    /// Parameters followed by buffers: everything ``parameterDictionary()`` saves and ``load(_:)`` restores.
    var namedState: [(name: String, parameter: Variable)] {
        namedParameters + namedBuffers.map { (name: $0.name, parameter: $0.buffer) }
    }

    /// Loads values from a flat dictionary. Every parameter must be present with its exact shape and nothing
    /// else may be there: a partial or foreign dictionary is an error, never a silent half-load. Nothing is
    /// changed unless the whole dictionary fits.
    public func load(_ dictionary: [String: Tensor]) throws {
        let named = namedState
        for (name, parameter) in named {
            guard let value = dictionary[name] else { throw ModuleError.missingParameter(name) }
            guard value.shape == parameter.shape else {
                throw ModuleError.parameterShapeMismatch(name: name, expected: parameter.shape, got: value.shape)
            }
        }
        let known = Set(named.map(\.name))
        if let extra = dictionary.keys.sorted().first(where: { !known.contains($0) }) {
            throw ModuleError.unexpectedParameter(extra)
        }
        for (name, parameter) in named { try parameter.assign(dictionary[name]!) }
    }

    /// Clears every parameter's gradient.
    public func zeroGradients() { for p in parameters { p.zeroGradient() } }

    /// Runs `body` with every parameter frozen (see `Variable.setRequiresGradient(_:)`), then restores each
    /// parameter's previous setting, also when `body` throws.
    public func withFrozenParameters<T>(_ body: () throws -> T) rethrows -> T {
        let all = parameters
        let previous = all.map(\.requiresGradient)
        for p in all { p.setRequiresGradient(false) }
        defer { for (p, flag) in zip(all, previous) { p.setRequiresGradient(flag) } }
        return try body()
    }
}

/// Prefixes a child's parameter names: `prefixed("layers.0", child)` gives `layers.0.weight`, ….
public func prefixed(_ prefix: String, _ child: Module) -> [(name: String, parameter: Variable)] {
    child.namedParameters.map { (name: "\(prefix).\($0.name)", parameter: $0.parameter) }
}

/// Prefixes a child's buffer names, as ``prefixed(_:_:)`` does for parameters.
public func prefixedBuffers(_ prefix: String, _ child: Module) -> [(name: String, buffer: Variable)] {
    child.namedBuffers.map { (name: "\(prefix).\($0.name)", buffer: $0.buffer) }
}
