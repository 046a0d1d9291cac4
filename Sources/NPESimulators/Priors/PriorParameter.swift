/// One named input of a prior file: a distribution plus what the pipeline does with its draws.
public struct PriorParameter: Sendable, Equatable, Hashable, Codable {
    /// The name a simulator input and a dataset column use (e.g. `planet_radius`).
    public var name: String
    /// A free-form unit label for people and model cards (e.g. `R_J`); nil when dimensionless.
    public var unit: String?
    /// True for an auxiliary input that is drawn for simulation and then *given* to the network as context
    /// (e.g. planet mass), rather than inferred.
    public var isContext: Bool
    public var distribution: PriorDistribution

    /// What the pipeline does with a parameter.
    public enum Role: String, Sendable, Codable {
        /// Drawn, simulated, and inferred: a column of theta.
        case theta
        /// Drawn, simulated, and passed to the network as a condition: a column of context.
        case context
        /// A constant simulator input (`fixed` prior); stored in the prior metadata, never a column.
        case fixed
    }

    /// `.fixed` for a point mass (whatever `context` says), else `.context` or `.theta`.
    public var role: Role {
        if distribution.isFixed { return .fixed }
        return isContext ? .context : .theta
    }

    public init(name: String, unit: String? = nil, isContext: Bool = false, distribution: PriorDistribution) {
        self.name = name
        self.unit = unit
        self.isContext = isContext
        self.distribution = distribution
    }

    private enum CodingKeys: String, CodingKey {
        case name, unit
        case isContext = "context"
        case distribution = "prior"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        unit = try container.decodeIfPresent(String.self, forKey: .unit)
        isContext = try container.decodeIfPresent(Bool.self, forKey: .isContext) ?? false
        distribution = try container.decode(PriorDistribution.self, forKey: .distribution)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(unit, forKey: .unit)
        try container.encode(isContext, forKey: .isContext)
        try container.encode(distribution, forKey: .distribution)
    }

    /// Whether `name` can serve as a column and simulator input name: non-empty, without whitespace, commas or
    /// quotes (it ends up in CSV headers and JSON).
    static func isUsableName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains { $0.isWhitespace || $0 == "," || $0 == "\"" || $0 == "'" }
    }
}
