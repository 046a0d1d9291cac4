/// A prior that cannot be used, located as precisely as the input allows.
///
/// The description reads `FILE:LINE: parameter INDEX 'NAME', field 'FIELD': PROBLEM`, for example
/// `prior.yaml:4: parameter 2 'log_H2O', field 'prior.uniform': low (-1.0) must be < high (-12.0)`.
/// Parameter indices count from 1, as a person reading the file counts. Only the prior readers in this module
/// build one, so the type spells no public initialiser.
public struct PriorError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file (or `<string>`, `<builtin:NAME>`, `<json>`) the prior came from.
    public var file: String
    /// 1-based position of the parameter in the list, when the error is about one parameter.
    public var parameterIndex: Int?
    /// The parameter's name, when it has one.
    public var parameterName: String?
    /// The offending field as a dotted path (`name`, `unit`, `context`, `prior`, `prior.uniform`, …); empty for
    /// whole-file problems.
    public var field: String = ""
    /// 1-based line in the file, when known.
    public var line: Int?
    public var problem: Problem

    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        case unreadableFile(reason: String)
        case invalidYAML(reason: String)
        case notAMapping
        case notASequence
        case notAScalar
        case missingField
        case emptyParameterList
        case unknownKey(String)
        /// A key that appears twice in one mapping (`firstLine`: where it first appeared).
        case duplicateKey(firstLine: Int?)
        /// A value that is not one of the allowed spellings.
        case notOneOf(String, allowed: [String])
        case invalidName(String)
        case duplicateName(firstIndex: Int)
        case invalidBoolean(String)
        case unknownFamily(String)
        case priorNeedsOneFamily(found: Int)
        case wrongArgumentCount(family: String, expected: Int, got: Int)
        case notANumber(String)
        case nonFinite(Double)
        case lowNotBelowHigh(low: Double, high: Double)
        case nonPositiveScale(Double)
        case nonPositiveLogBound(Double)
        case missingSimulatorInput(simulator: String)

        public var description: String {
            switch self {
            case let .unreadableFile(reason): return "cannot read the file (\(reason))"
            case let .invalidYAML(reason): return "not valid YAML (\(reason))"
            case .notAMapping: return "expected a mapping ({key: value, ...})"
            case .notASequence: return "expected a list"
            case .notAScalar: return "expected a single value"
            case .missingField: return "is required but missing"
            case .emptyParameterList: return "the parameter list is empty"
            case let .unknownKey(key): return "unknown key '\(key)'"
            case let .duplicateKey(firstLine):
                return "appears twice (first\(firstLine.map { " on line \($0)" } ?? "")); keep one"
            case let .notOneOf(value, allowed): return "'\(value)' is not one of \(allowed.joined(separator: ", "))"
            case let .invalidName(name):
                return "'\(name)' is not a usable name (non-empty, no spaces, commas or quotes)"
            case let .duplicateName(first): return "duplicate name, first used by parameter \(first)"
            case let .invalidBoolean(text): return "'\(text)' is not true or false"
            case let .unknownFamily(family):
                return "unknown prior family '\(family)' (known: uniform, log_uniform, normal, log_normal, fixed)"
            case let .priorNeedsOneFamily(found):
                return "a prior names exactly one family, found \(found)"
            case let .wrongArgumentCount(family, expected, got):
                return "\(family) takes \(expected) number\(expected == 1 ? "" : "s"), got \(got)"
            case let .notANumber(text): return "'\(text)' is not a number"
            case let .nonFinite(value): return "\(value) is not finite"
            case let .lowNotBelowHigh(low, high): return "low (\(low)) must be < high (\(high))"
            case let .nonPositiveScale(value): return "sigma (\(value)) must be > 0"
            case let .nonPositiveLogBound(value): return "bound \(value) must be > 0 for a log family"
            case let .missingSimulatorInput(simulator):
                return "simulator '\(simulator)' needs this input, but the prior does not declare it"
            }
        }
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ":"
        if let parameterIndex {
            text += " parameter \(parameterIndex)"
            if let parameterName { text += " '\(parameterName)'" }
            text += field.isEmpty ? ":" : ","
        } else if let parameterName {
            text += " parameter '\(parameterName)'" + (field.isEmpty ? ":" : ",")
        }
        if !field.isEmpty { text += " field '\(field)':" }
        return text + " " + problem.description
    }
}
