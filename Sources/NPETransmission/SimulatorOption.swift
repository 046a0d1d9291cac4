import Foundation
import NPESimulators
import NPEYAML
import Yams

/// One simulator setting as the user wrote it: a dotted key, its text value, and where it came from.
///
/// Options come from a simulator-configuration YAML file (nested mappings flatten to dotted keys, so
/// `temperature: {profile: guillot2010}` is the option `temperature.profile=guillot2010`) or from inline
/// `KEY=VALUE` arguments; later options override earlier ones, so inline keys can adjust a file.
public struct SimulatorOption: Sendable, Equatable {
    /// The dotted key, e.g. `clouds`, `temperature.log_gamma`.
    public var key: String
    /// The value as written (a YAML scalar or the text after `=`).
    public var value: String
    /// The file (or `--simulator-option`) the option came from.
    public var source: String
    /// 1-based line in `source`, when it is a file.
    public var line: Int?

    public init(key: String, value: String, source: String, line: Int? = nil) {
        self.key = key
        self.value = value
        self.source = source
        self.line = line
    }

    /// Parses an inline `KEY=VALUE` argument.
    ///
    /// - Throws: ``SimulatorConfigurationError`` when there is no `=` or the key is empty.
    public init(inline text: String, source: String = "--simulator-option") throws {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw SimulatorConfigurationError(
                file: source, key: text, problem: .invalidValue("expected KEY=VALUE, e.g. clouds=grey-deck"))
        }
        self.init(
            key: String(text[..<equals]).trimmingCharacters(in: .whitespaces),
            value: String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces), source: source)
    }

    /// Reads a simulator-configuration YAML file into options, in file order.
    ///
    /// - Throws: ``SimulatorConfigurationError`` naming the file (and line) for an unreadable file, invalid YAML, a
    ///   top level that is not a mapping, or a value that is a list.
    public static func options(contentsOfYAML url: URL) throws -> [SimulatorOption] {
        try options(yaml: try YAMLNodeReader.text(of: url, error: error(source: url.path)), source: url.path)
    }

    /// Parses simulator-configuration YAML text (see ``options(contentsOfYAML:)``). An empty text has no options.
    public static func options(yaml text: String, source: String = "<string>") throws -> [SimulatorOption] {
        let nodes = YAMLNodeReader(source: source, error: error(source: source))
        guard let root = try nodes.compose(text) else { return [] }
        var result: [SimulatorOption] = []
        try flatten(try nodes.mapping(root, ""), prefix: "", nodes: nodes, into: &result)
        return result
    }

    /// Nested mappings become dotted keys; a scalar is an option; anything else (a list) is refused.
    private static func flatten(_ mapping: Node.Mapping, prefix: String, nodes: YAMLNodeReader,
                                into result: inout [SimulatorOption]) throws {
        for (key, value) in mapping {
            let path = YAMLNodeReader.path(prefix, key.scalar?.string ?? "")
            if let nested = value.mapping {
                try flatten(nested, prefix: path, nodes: nodes, into: &result)
            } else if let scalar = value.scalar {
                result.append(SimulatorOption(key: path, value: scalar.string, source: nodes.source, line: nodes.line(key)))
            } else {
                throw nodes.fail(path, key, .notAScalar)
            }
        }
    }

    /// A simulator configuration's wording of each node problem.
    private static func error(source: String) -> YAMLNodeReader.ErrorFactory {
        { key, line, problem in
            let mapped: SimulatorConfigurationError.Problem
            switch problem {
            case let .unreadableFile(reason): mapped = .unreadableFile(reason)
            case let .invalidYAML(reason): mapped = .invalidYAML(reason)
            case .notAMapping: mapped = .notAMapping
            case .notAList, .notAScalar: mapped = .notAScalar
            case let .unknownKey(_, known): mapped = .unknownKey(known: known)
            case let .duplicateKey(firstLine):
                mapped = .invalidValue("appears twice (first\(firstLine.map { " on line \($0)" } ?? "")); keep one")
            case let .notAnInteger(text), let .notANumber(text): mapped = .notANumber(text)
            case let .notABoolean(text): mapped = .notOneOf(text, allowed: ["true", "false"])
            case let .notOneOf(text, allowed): mapped = .notOneOf(text, allowed: allowed)
            }
            return SimulatorConfigurationError(file: source, key: key, line: line, problem: mapped)
        }
    }
}

/// A simulator configuration that cannot be used, located as precisely as the input allows.
///
/// The description reads `FILE:LINE: key 'KEY': PROBLEM`, for example
/// `sim.yaml:3: key 'clouds': 'gray' is not one of none, grey-deck`.
public struct SimulatorConfigurationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file, `--simulator-option`, or `<recorded>` for a configuration read back from provenance.
    public var file: String
    /// The dotted key; empty for whole-file problems.
    public var key: String
    /// 1-based line in the file, when known.
    public var line: Int?
    public var problem: Problem

    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        case unreadableFile(String)
        case invalidYAML(String)
        case notAMapping
        case notAScalar
        case unknownKey(known: [String])
        case notOneOf(String, allowed: [String])
        case notANumber(String)
        case invalidValue(String)
        case missing(String)
        case notApplicable(String)
        case recordedMismatch(recorded: String, rebuilt: String)

        public var description: String {
            switch self {
            case let .unreadableFile(reason): return "cannot read the file (\(reason))"
            case let .invalidYAML(reason): return "not valid YAML (\(reason))"
            case .notAMapping: return "expected a mapping of options ({key: value, ...})"
            case .notAScalar: return "expected a single value or a mapping, not a list"
            case let .unknownKey(known): return "unknown option (known: \(known.joined(separator: ", ")))"
            case let .notOneOf(value, allowed): return "'\(value)' is not one of \(allowed.joined(separator: ", "))"
            case let .notANumber(value): return "'\(value)' is not a finite number"
            case let .invalidValue(reason): return reason
            case let .missing(reason): return "is required: \(reason)"
            case let .notApplicable(reason): return reason
            case let .recordedMismatch(recorded, rebuilt):
                return "the recorded setting is '\(recorded)', but this build of the simulator gives '\(rebuilt)' "
                    + "for the same options (the simulator changed since the data were made)"
            }
        }
    }

    public init(file: String, key: String, line: Int? = nil, problem: Problem) {
        self.file = file
        self.key = key
        self.line = line
        self.problem = problem
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(problem)" : "\(place): key '\(key)': \(problem)"
    }
}
