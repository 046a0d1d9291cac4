import Foundation
import NPEYAML
import Yams

extension Prior {
    /// Reads and validates a YAML prior file.
    ///
    /// - Throws: ``PriorError`` naming the file and, where it applies, the line, the parameter (1-based index
    ///   and name) and the field.
    public init(contentsOfYAML url: URL) throws {
        try self.init(yaml: try Self.yamlText(of: url), source: url.path)
    }

    /// The text of a prior file; an unreadable one is a ``PriorError`` naming it.
    static func yamlText(of url: URL) throws -> String {
        try YAMLNodeReader.text(of: url, error: PriorYAMLReader.error(source: url.path))
    }

    /// Parses and validates prior YAML text.
    ///
    /// The schema: a top-level mapping with `parameters:` (a non-empty list) and optionally `description:`.
    /// Each parameter is a mapping with `name` (required), `unit`, `context` (true/false, default false),
    /// `description`, and `prior` (required): a one-key mapping from a family to its numbers, e.g.
    /// `{uniform: [low, high]}`, `{log_uniform: [low, high]}`, `{normal: [mu, sigma]}`,
    /// `{log_normal: [mu, sigma]}` (natural log) or `{fixed: value}`. Any other key is an error, so a typo
    /// never passes silently.
    public init(yaml text: String, source: String = "<string>") throws {
        let reader = PriorYAMLReader(source: source)
        try self.init(parameters: try reader.parameters(from: try reader.nodes().compose(text)), source: source)
    }
}

/// Walks the YAML node tree of a prior file with the shared ``YAMLNodeReader``, turning each problem into a located
/// ``PriorError``.
private struct PriorYAMLReader {
    let source: String

    /// A prior's wording of each node problem, located in parameter `index` (1-based) named `name`, when given.
    static func error(source: String, index: Int? = nil, name: String? = nil) -> YAMLNodeReader.ErrorFactory {
        { field, line, problem in
            let mapped: PriorError.Problem
            switch problem {
            case let .unreadableFile(reason): mapped = .unreadableFile(reason: reason)
            case let .invalidYAML(reason): mapped = .invalidYAML(reason: reason)
            case .notAMapping: mapped = .notAMapping
            case .notAList: mapped = .notASequence
            case .notAScalar: mapped = .notAScalar
            case let .unknownKey(key, _): mapped = .unknownKey(key)
            case let .duplicateKey(firstLine): mapped = .duplicateKey(firstLine: firstLine)
            case let .notAnInteger(text), let .notANumber(text): mapped = .notANumber(text)
            case let .notABoolean(text): mapped = .invalidBoolean(text)
            case let .notOneOf(text, allowed): mapped = .notOneOf(text, allowed: allowed)
            }
            return PriorError(file: source, parameterIndex: index, parameterName: name, field: field, line: line, problem: mapped)
        }
    }

    /// The node reader for the file, or for parameter `index` named `name`.
    func nodes(index: Int? = nil, name: String? = nil) -> YAMLNodeReader {
        YAMLNodeReader(source: source, error: Self.error(source: source, index: index, name: name))
    }

    func parameters(from root: Node?) throws -> [PriorParameter] {
        let nodes = nodes()
        guard let root, let mapping = root.mapping else { throw nodes.fail("", root, .notAMapping) }
        var list: Node?
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            switch name {
            case "parameters": list = value
            case "description": continue
            default: throw nodes.fail(name, key, .unknownKey(name, known: ["parameters", "description"]))
            }
        }
        guard let list else {
            throw PriorError(file: source, field: "parameters", line: nodes.line(root), problem: .missingField)
        }
        let items = try nodes.list(list, "parameters")
        guard !items.isEmpty else {
            throw PriorError(file: source, field: "parameters", line: nodes.line(list), problem: .emptyParameterList)
        }
        // Names are checked here too (Prior.init checks them again) so the error can carry a line number.
        var firstIndexByName: [String: Int] = [:]
        return try items.enumerated().map { offset, item in
            let parameter = try parameter(from: item, index: offset + 1)
            let at = nodes.line(item)
            guard PriorParameter.isUsableName(parameter.name) else {
                throw PriorError(
                    file: source, parameterIndex: offset + 1, field: "name", line: at,
                    problem: .invalidName(parameter.name))
            }
            if let first = firstIndexByName[parameter.name] {
                throw PriorError(
                    file: source, parameterIndex: offset + 1, parameterName: parameter.name, field: "name", line: at,
                    problem: .duplicateName(firstIndex: first))
            }
            firstIndexByName[parameter.name] = offset + 1
            return parameter
        }
    }

    private func parameter(from node: Node, index: Int) throws -> PriorParameter {
        let unnamed = nodes(index: index)
        let mapping = try unnamed.mapping(node, "")
        // The name first, so every later error can quote it.
        let name = try mapping.first { $0.key.scalar?.string == "name" }.map { try unnamed.scalar($0.value, "name") }
        let nodes = self.nodes(index: index, name: name)
        func fail(_ field: String, _ at: Node, _ problem: PriorError.Problem) -> PriorError {
            PriorError(file: source, parameterIndex: index, parameterName: name, field: field, line: nodes.line(at),
                       problem: problem)
        }
        var unit: String?
        var isContext = false
        var distribution: PriorDistribution?
        for (key, value) in mapping {
            let field = key.scalar?.string ?? ""
            switch field {
            case "name", "description": continue
            case "unit": unit = try nodes.scalar(value, "unit")
            case "context": isContext = try nodes.boolean(value, "context")
            case "prior": distribution = try self.distribution(from: value, nodes: nodes, fail: fail)
            default: throw fail(field, key, .unknownKey(field))
            }
        }
        guard let name else { throw fail("name", node, .missingField) }
        guard let distribution else { throw fail("prior", node, .missingField) }
        return PriorParameter(name: name, unit: unit, isContext: isContext, distribution: distribution)
    }

    private func distribution(
        from node: Node, nodes: YAMLNodeReader, fail: (String, Node, PriorError.Problem) -> PriorError
    ) throws -> PriorDistribution {
        let mapping = try nodes.mapping(node, "prior")
        guard mapping.count == 1, let (familyNode, argumentsNode) = mapping.first else {
            throw fail("prior", node, .priorNeedsOneFamily(found: mapping.count))
        }
        let family = familyNode.scalar?.string ?? ""
        let field = "prior.\(family)"
        guard PriorDistribution.familyNames.contains(family) else {
            throw fail("prior", familyNode, .unknownFamily(family))
        }
        // One number may stand alone (`fixed: 3`); a mapping is neither.
        let argumentNodes = argumentsNode.scalar != nil ? [argumentsNode] : try nodes.list(argumentsNode, field)
        // YAML's `.inf` / `.nan` are read as numbers, so they then fail the finiteness check with a clear message
        // instead of "not a number".
        let arguments = try argumentNodes.map { try nodes.number(Double.self, $0, field, finite: false) }
        do {
            return try PriorDistribution.make(family: family, arguments: arguments)
        } catch let problem as PriorError.Problem {
            throw fail(field, argumentsNode, problem)
        }
    }
}
