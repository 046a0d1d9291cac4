/// A training configuration that cannot be used, located as precisely as the input allows.
///
/// The description reads `FILE:LINE: key 'KEY': PROBLEM`, for example
/// `train.yaml:7: key 'training.batch_size': -3 must be a positive integer`.
public struct TrainingConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file the configuration came from (`<command line>` for flags, `<string>` for text).
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// The key as a dotted path (`flow.kind`, `training.schedule.minimum`); empty for whole-file problems.
    public var key: String
    public var problem: Problem

    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        case unreadableFile(String)
        case invalidYAML(String)
        case notAMapping
        case notAList
        case notAScalar
        case unknownKey(known: [String])
        case invalidValue(String, expected: String)
        /// Values that are each valid but do not fit together (e.g. a noise-level input without noise).
        case inconsistent(String)
        /// The key appears twice in one mapping (`firstLine`: where it first appeared).
        case duplicateKey(firstLine: Int?)

        public var description: String {
            switch self {
            case let .unreadableFile(reason): return "cannot read the file (\(reason))"
            case let .invalidYAML(reason): return "not valid YAML (\(reason))"
            case .notAMapping: return "expected a mapping ({key: value, ...})"
            case .notAList: return "expected a list"
            case .notAScalar: return "expected a single value"
            case let .unknownKey(known): return "unknown key (known here: \(known.joined(separator: ", ")))"
            case let .invalidValue(value, expected): return "'\(value)' is invalid: expected \(expected)"
            case let .inconsistent(why): return why
            case let .duplicateKey(firstLine):
                return "appears twice (first\(firstLine.map { " on line \($0)" } ?? "")); keep one"
            }
        }
    }

    public init(file: String, line: Int? = nil, key: String, problem: Problem) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(problem)" : "\(place): key '\(key)': \(problem)"
    }
}
