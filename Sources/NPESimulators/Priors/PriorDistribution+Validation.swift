extension PriorDistribution {
    /// Every family name a prior file may use.
    public static let familyNames = ["uniform", "log_uniform", "normal", "log_normal", "fixed"]

    /// Builds a distribution from a family name and its numbers, checking them.
    ///
    /// - Throws: a ``PriorError/Problem`` (the caller adds file, parameter and field): unknown family, wrong
    ///   count, non-finite value, low ≥ high, sigma ≤ 0, or a log-uniform bound ≤ 0.
    public static func make(family: String, arguments: [Double]) throws -> PriorDistribution {
        let expected = family == "fixed" ? 1 : 2
        guard familyNames.contains(family) else { throw PriorError.Problem.unknownFamily(family) }
        guard arguments.count == expected else {
            throw PriorError.Problem.wrongArgumentCount(family: family, expected: expected, got: arguments.count)
        }
        if let bad = arguments.first(where: { !$0.isFinite }) { throw PriorError.Problem.nonFinite(bad) }
        switch family {
        case "uniform":
            try checkOrdered(arguments[0], arguments[1])
            return .uniform(low: arguments[0], high: arguments[1])
        case "log_uniform":
            if let bad = arguments.first(where: { $0 <= 0 }) { throw PriorError.Problem.nonPositiveLogBound(bad) }
            try checkOrdered(arguments[0], arguments[1])
            return .logUniform(low: arguments[0], high: arguments[1])
        case "normal":
            guard arguments[1] > 0 else { throw PriorError.Problem.nonPositiveScale(arguments[1]) }
            return .normal(mean: arguments[0], standardDeviation: arguments[1])
        case "log_normal":
            guard arguments[1] > 0 else { throw PriorError.Problem.nonPositiveScale(arguments[1]) }
            return .logNormal(mu: arguments[0], sigma: arguments[1])
        default:
            return .fixed(arguments[0])
        }
    }

    private static func checkOrdered(_ low: Double, _ high: Double) throws {
        // high - low must also be finite, or the uniform density and the logit scale overflow.
        guard low < high else { throw PriorError.Problem.lowNotBelowHigh(low: low, high: high) }
        guard (high - low).isFinite else { throw PriorError.Problem.nonFinite(high - low) }
    }
}

/// JSON form: the same one-key object a prior file uses, `{"uniform": [0.5, 2.0]}` or `{"fixed": 1.0}`.
extension PriorDistribution: Codable {
    private struct FamilyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: FamilyKey.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: PriorError.Problem.priorNeedsOneFamily(found: container.allKeys.count).description))
        }
        let arguments: [Double]
        if key.stringValue == "fixed" {
            arguments = [try container.decode(Double.self, forKey: key)]
        } else {
            arguments = try container.decode([Double].self, forKey: key)
        }
        do {
            self = try Self.make(family: key.stringValue, arguments: arguments)
        } catch let problem as PriorError.Problem {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [key], debugDescription: problem.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: FamilyKey.self)
        let key = FamilyKey(stringValue: familyName)
        if case let .fixed(value) = self {
            try container.encode(value, forKey: key)
        } else {
            try container.encode(arguments, forKey: key)
        }
    }
}

extension PriorError.Problem: Error {}
