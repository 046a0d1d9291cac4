import Foundation
import NPESupport

/// An ordered list of named parameter priors, split into inferred parameters (theta), auxiliary context inputs,
/// and fixed constants.
///
/// Sampling is by inversion: a row takes one uniform per parameter (``uniformCount``; fixed parameters
/// consume theirs unused, so the layout of uniforms never shifts when a parameter is fixed), and the value of
/// parameter k is `parameters[k].distribution.quantile(u[k])`. With uniforms from a counter-based generator
/// keyed by the row index, row i is the same on any number of threads or ranks.
///
/// The JSON encoding (`Codable`) mirrors the YAML file and is what datasets and model cards store as provenance.
public struct Prior: Sendable, Equatable, Codable {
    /// All parameters in file order.
    public let parameters: [PriorParameter]
    /// Where the prior came from (a path, `<builtin:ariel-adc2023>`, …): used in error messages and provenance.
    public let source: String

    /// Positions in ``parameters`` of theta (inferred), context and fixed parameters, in file order.
    public let thetaIndices: [Int]
    public let contextIndices: [Int]
    public let fixedIndices: [Int]

    /// Validates and builds a prior.
    ///
    /// - Throws: ``PriorError`` for an empty list, an unusable or duplicate name. Distribution arguments were
    ///   already checked when each ``PriorDistribution`` was made with ``PriorDistribution/make(family:arguments:)``.
    public init(parameters: [PriorParameter], source: String = "<memory>") throws {
        guard !parameters.isEmpty else {
            throw PriorError(file: source, field: "parameters", problem: .emptyParameterList)
        }
        var firstIndexByName: [String: Int] = [:]
        for (offset, parameter) in parameters.enumerated() {
            guard PriorParameter.isUsableName(parameter.name) else {
                throw PriorError(
                    file: source, parameterIndex: offset + 1, field: "name", problem: .invalidName(parameter.name))
            }
            if let first = firstIndexByName[parameter.name] {
                throw PriorError(
                    file: source, parameterIndex: offset + 1, parameterName: parameter.name, field: "name",
                    problem: .duplicateName(firstIndex: first + 1))
            }
            firstIndexByName[parameter.name] = offset
        }
        self.parameters = parameters
        self.source = source
        thetaIndices = parameters.indices.filter { parameters[$0].role == .theta }
        contextIndices = parameters.indices.filter { parameters[$0].role == .context }
        fixedIndices = parameters.indices.filter { parameters[$0].role == .fixed }
    }

    /// For built-in priors whose names are unique and usable by construction: skips the checks, never throws.
    init(builtinParameters parameters: [PriorParameter], source: String) {
        assert(Set(parameters.map(\.name)).count == parameters.count, "built-in names are unique")
        self.parameters = parameters
        self.source = source
        thetaIndices = parameters.indices.filter { parameters[$0].role == .theta }
        contextIndices = parameters.indices.filter { parameters[$0].role == .context }
        fixedIndices = parameters.indices.filter { parameters[$0].role == .fixed }
    }

    private enum CodingKeys: String, CodingKey { case parameters, source }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            parameters: try container.decode([PriorParameter].self, forKey: .parameters),
            source: try container.decodeIfPresent(String.self, forKey: .source) ?? "<json>")
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(source, forKey: .source)
    }

    /// The prior as compact JSON with sorted keys, for dataset attributes and model cards.
    public func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    // MARK: - Names

    /// Every parameter name, in file order.
    public var names: [String] { parameters.map(\.name) }
    /// D names of theta, in file order: the columns of a dataset's `theta`.
    public var thetaNames: [String] { thetaIndices.map { parameters[$0].name } }
    /// A names of context, in file order: the columns of a dataset's `context`.
    public var contextNames: [String] { contextIndices.map { parameters[$0].name } }
    /// D, the number of inferred parameters.
    public var thetaCount: Int { thetaIndices.count }
    /// A, the number of context inputs.
    public var contextCount: Int { contextIndices.count }
    /// Uniforms needed per row: one per parameter.
    public var uniformCount: Int { parameters.count }

    /// The parameter called `name`, if declared.
    public func parameter(named name: String) -> PriorParameter? {
        parameters.first { $0.name == name }
    }

    /// For each simulator input name, its position in ``parameters``.
    ///
    /// - Throws: ``PriorError`` with ``PriorError/Problem/missingSimulatorInput(simulator:)`` naming the first
    ///   input the prior does not declare.
    public func parameterIndices(forInputs inputNames: [String], simulator: String) throws -> [Int] {
        let positions = Dictionary(uniqueKeysWithValues: parameters.enumerated().map { ($1.name, $0) })
        return try inputNames.map { input in
            guard let position = positions[input] else {
                throw PriorError(
                    file: source, parameterName: input, field: "name",
                    problem: .missingSimulatorInput(simulator: simulator))
            }
            return position
        }
    }

    // MARK: - Sampling and densities

    /// Draws one row of every parameter (file order) from ``uniformCount`` uniforms in (0, 1).
    ///
    /// - Precondition: `uniforms.count == uniformCount` and `values.count == parameters.count`.
    public func draw(uniforms: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>) {
        precondition(uniforms.count == uniformCount && values.count == parameters.count, "one value per parameter")
        for k in parameters.indices {
            values[k] = parameters[k].distribution.quantile(uniforms[k])
        }
    }

    /// Array convenience for ``draw(uniforms:into:)``.
    public func draw(uniforms: [Double]) -> [Double] {
        var values = [Double](repeating: 0, count: parameters.count)
        uniforms.withUnsafeBufferPointer { u in
            values.withUnsafeMutableBufferPointer { v in draw(uniforms: u, into: v) }
        }
        return values
    }

    /// log p(theta) = Σ_d log p_d(theta_d) over the D inferred parameters; −∞ outside the support.
    ///
    /// - Parameter theta: D values in the order of ``thetaNames``.
    /// - Precondition: `theta.count == thetaCount`.
    public func logDensity(theta: some Collection<Double>) -> Double {
        precondition(theta.count == thetaCount, "theta needs \(thetaCount) values")
        return logDensity(of: theta, at: thetaIndices)
    }

    /// log p(context), the same sum over the A context inputs (order of ``contextNames``).
    public func logDensity(context: some Collection<Double>) -> Double {
        precondition(context.count == contextCount, "context needs \(contextCount) values")
        return logDensity(of: context, at: contextIndices)
    }

    /// Σ_k log p_k(values_k) over the parameters at `indices`, in order.
    private func logDensity(of values: some Collection<Double>, at indices: [Int]) -> Double {
        var total = 0.0
        for (index, value) in zip(indices, values) {
            total += parameters[index].distribution.logDensity(value)
        }
        return total
    }

    /// The unconstrained bijection of each theta column, in the order of ``thetaNames``.
    public var thetaBijections: [SupportBijection] {
        thetaIndices.map { parameters[$0].distribution.unconstrainedBijection }
    }
}
