import Foundation
import Yams

/// The one YAML node reader of the project: reads the text, composes the node tree and walks it, turning every
/// problem into the caller's located error.
///
/// Priors (`Prior(contentsOfYAML:)`), training configurations (`TrainingConfiguration(contentsOfYAML:)`, including
/// a model kind's own section) and simulator configurations (`SimulatorOption.options(contentsOfYAML:)`) all read
/// through it. Each gives an error factory `(path, line, problem) -> Error` that builds its own error type, so
/// messages still name the file, the line and the dotted path or field, in that module's words.
///
/// Spellings accepted once for every file: booleans `true/yes/on` and `false/no/off` (any case); null as a plain
/// `~`, `null` or an empty value; numbers as Swift parses them plus YAML's `.inf`, `-.inf` and `.nan`.
public final class YAMLNodeReader {
    /// Builds the caller's error for a problem at a dotted path (empty for the whole file) and a 1-based line.
    public typealias ErrorFactory = (_ path: String, _ line: Int?, _ problem: YAMLNodeProblem) -> Error

    /// The file (or `<string>`) being read, for the caller's errors.
    public let source: String
    /// The 1-based line of every key ``entries(_:_:known:_:)`` visited, by dotted path, so checks made after
    /// parsing can still point at a line.
    public private(set) var lines: [String: Int] = [:]
    private let makeError: ErrorFactory

    public init(source: String, error: @escaping ErrorFactory) {
        self.source = source
        self.makeError = error
    }

    // MARK: Documents

    /// The UTF-8 text of a file; an unreadable file is ``YAMLNodeProblem/unreadableFile(_:)``.
    public static func text(of url: URL, error: ErrorFactory) throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch let failure {
            throw error("", nil, .unreadableFile(failure.localizedDescription))
        }
    }

    /// The root node of a YAML text, nil for an empty document; a parse failure is
    /// ``YAMLNodeProblem/invalidYAML(_:)``.
    public func compose(_ text: String) throws -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch {
            throw makeError("", nil, .invalidYAML(String(describing: error)))
        }
    }

    // MARK: Errors and places

    /// The caller's error for `problem` at `path`, located at `node`'s line.
    public func fail(_ path: String, _ node: Node?, _ problem: YAMLNodeProblem) -> Error {
        makeError(path, node.flatMap(line), problem)
    }

    /// The 1-based line of a node, when the parser recorded one.
    public func line(_ node: Node) -> Int? { node.mark?.line }

    /// The dotted path of `key` under `parent` (`training` + `seed` → `training.seed`).
    public static func path(_ parent: String, _ key: String) -> String { parent.isEmpty ? key : "\(parent).\(key)" }

    // MARK: Structure

    /// The node as a mapping, or ``YAMLNodeProblem/notAMapping``.
    public func mapping(_ node: Node, _ at: String) throws -> Node.Mapping {
        guard let mapping = node.mapping else { throw fail(at, node, .notAMapping) }
        return mapping
    }

    /// Calls `body(key, value, dotted path)` for each entry of a mapping in file order, rejecting keys outside
    /// `known` and keys that appear twice (YAML parsers keep the last of two equal keys; a file that says two
    /// things is refused instead), and recording each key's line in ``lines``.
    public func entries(_ node: Node, _ at: String, known: [String], _ body: (String, Node, String) throws -> Void) throws {
        var seen: [String: Int?] = [:]
        for (keyNode, value) in try mapping(node, at) {
            let key = keyNode.scalar?.string ?? ""
            let path = Self.path(at, key)
            guard known.contains(key) else { throw fail(path, keyNode, .unknownKey(key, known: known)) }
            if let first = seen[key] { throw fail(path, keyNode, .duplicateKey(firstLine: first)) }
            seen[key] = line(keyNode)
            lines[path] = line(keyNode)
            try body(key, value, path)
        }
    }

    /// The node as a list, or ``YAMLNodeProblem/notAList``.
    public func list(_ node: Node, _ at: String) throws -> [Node] {
        guard let sequence = node.sequence else { throw fail(at, node, .notAList) }
        return Array(sequence)
    }

    // MARK: Scalars

    /// The node's text, or ``YAMLNodeProblem/notAScalar``.
    public func scalar(_ node: Node, _ at: String) throws -> String {
        guard let text = node.scalar?.string else { throw fail(at, node, .notAScalar) }
        return text
    }

    /// Whether the node is YAML's null: a plain `~`, `null` (any of YAML's three casings) or an empty value.
    public func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// Whether the node is null or the word `none` (any case): how a file turns an optional setting off.
    public func isNone(_ node: Node) -> Bool {
        isNull(node) || node.scalar?.string.lowercased() == "none"
    }

    public func integer(_ node: Node, _ at: String) throws -> Int {
        let text = try scalar(node, at)
        guard let value = Int(text) else { throw fail(at, node, .notAnInteger(text)) }
        return value
    }

    public func integers(_ node: Node, _ at: String) throws -> [Int] {
        try list(node, at).map { try integer($0, at) }
    }

    /// A number parsed in `T` itself (a `Float` key is not rounded twice through `Double`), with YAML's `.inf`,
    /// `-.inf` and `.nan` spellings. With `finite` (the default) an infinity or NaN is
    /// ``YAMLNodeProblem/notANumber(_:)`` too; without it the caller checks the value and says why.
    public func number<T: BinaryFloatingPoint & LosslessStringConvertible>(
        _: T.Type, _ node: Node, _ at: String, finite: Bool = true
    ) throws -> T {
        let text = try scalar(node, at)
        let value: T? = T(text) ?? {
            switch text.lowercased() {
            case ".inf", "+.inf": return .infinity
            case "-.inf": return -.infinity
            case ".nan": return .nan
            default: return nil
            }
        }()
        guard let value, !finite || value.isFinite else { throw fail(at, node, .notANumber(text)) }
        return value
    }

    public func boolean(_ node: Node, _ at: String) throws -> Bool {
        let text = try scalar(node, at)
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(at, node, .notABoolean(text))
        }
    }

    /// The value whose spelling the scalar is, from `(spelling, value)` pairs.
    public func choice<T>(_ node: Node, _ at: String, _ options: [(String, T)]) throws -> T {
        let text = try scalar(node, at)
        guard let match = options.first(where: { $0.0 == text }) else {
            throw fail(at, node, .notOneOf(text, allowed: options.map(\.0)))
        }
        return match.1
    }

    /// A `CaseIterable` raw-value enum by its raw value.
    public func choice<T: CaseIterable & RawRepresentable>(_ node: Node, _ at: String, _: T.Type) throws -> T
    where T.RawValue == String {
        try choice(node, at, T.allCases.map { ($0.rawValue, $0) })
    }
}
