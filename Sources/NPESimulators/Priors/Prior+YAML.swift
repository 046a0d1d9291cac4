import Foundation
import Yams

extension Prior {
    /// Reads and validates a YAML prior file.
    ///
    /// - Throws: ``PriorError`` naming the file and, where it applies, the line, the parameter (1-based index
    ///   and name) and the field.
    public init(contentsOfYAML url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PriorError(file: url.path, problem: .unreadableFile(reason: error.localizedDescription))
        }
        try self.init(yaml: text, source: url.path)
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
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw PriorError(file: source, problem: .invalidYAML(reason: String(describing: error)))
        }
        let reader = PriorYAMLReader(source: source)
        try self.init(parameters: try reader.parameters(from: root), source: source)
    }
}

/// Walks the YAML node tree of a prior file, turning each problem into a located ``PriorError``.
private struct PriorYAMLReader {
    let source: String

    func parameters(from root: Node?) throws -> [PriorParameter] {
        guard let root, let mapping = root.mapping else {
            throw PriorError(file: source, line: root.flatMap(line), problem: .notAMapping)
        }
        var list: Node?
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            switch name {
            case "parameters": list = value
            case "description": continue
            default: throw PriorError(file: source, field: name, line: line(key), problem: .unknownKey(name))
            }
        }
        guard let list else {
            throw PriorError(file: source, field: "parameters", line: line(root), problem: .missingField)
        }
        guard let items = list.sequence else {
            throw PriorError(file: source, field: "parameters", line: line(list), problem: .notASequence)
        }
        guard !items.isEmpty else {
            throw PriorError(file: source, field: "parameters", line: line(list), problem: .emptyParameterList)
        }
        // Names are checked here too (Prior.init checks them again) so the error can carry a line number.
        var firstIndexByName: [String: Int] = [:]
        return try items.enumerated().map { offset, item in
            let parameter = try parameter(from: item, index: offset + 1)
            let at = line(item)
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
        func fail(_ field: String, _ at: Node, _ problem: PriorError.Problem, name: String? = nil) -> PriorError {
            PriorError(
                file: source, parameterIndex: index, parameterName: name, field: field, line: line(at),
                problem: problem)
        }
        guard let mapping = node.mapping else { throw fail("", node, .notAMapping) }
        // The name first, so every later error can quote it.
        let nameNode = mapping.first { $0.key.scalar?.string == "name" }?.value
        var name: String?
        if let nameNode {
            guard let text = nameNode.scalar?.string else { throw fail("name", nameNode, .notAScalar) }
            name = text
        }
        var unit: String?
        var isContext = false
        var distribution: PriorDistribution?
        for (key, value) in mapping {
            let field = key.scalar?.string ?? ""
            switch field {
            case "name", "description": continue
            case "unit":
                guard let text = value.scalar?.string else { throw fail("unit", value, .notAScalar, name: name) }
                unit = text
            case "context":
                guard let text = value.scalar?.string else { throw fail("context", value, .notAScalar, name: name) }
                switch text.lowercased() {
                case "true", "yes": isContext = true
                case "false", "no": isContext = false
                default: throw fail("context", value, .invalidBoolean(text), name: name)
                }
            case "prior":
                distribution = try self.distribution(from: value) { field, at, problem in
                    fail(field, at, problem, name: name)
                }
            default:
                throw fail(field, key, .unknownKey(field), name: name)
            }
        }
        guard let name else { throw fail("name", node, .missingField) }
        guard let distribution else { throw fail("prior", node, .missingField, name: name) }
        return PriorParameter(name: name, unit: unit, isContext: isContext, distribution: distribution)
    }

    private func distribution(
        from node: Node, fail: (String, Node, PriorError.Problem) -> PriorError
    ) throws -> PriorDistribution {
        guard let mapping = node.mapping else { throw fail("prior", node, .notAMapping) }
        guard mapping.count == 1, let (familyNode, argumentsNode) = mapping.first else {
            throw fail("prior", node, .priorNeedsOneFamily(found: mapping.count))
        }
        let family = familyNode.scalar?.string ?? ""
        let field = "prior.\(family)"
        guard PriorDistribution.familyNames.contains(family) else {
            throw fail("prior", familyNode, .unknownFamily(family))
        }
        let argumentNodes: [Node]
        if let sequence = argumentsNode.sequence {
            argumentNodes = Array(sequence)
        } else if argumentsNode.scalar != nil {
            argumentNodes = [argumentsNode]
        } else {
            throw fail(field, argumentsNode, .notASequence)
        }
        let arguments = try argumentNodes.map { try number(from: $0) { fail(field, $0, $1) } }
        do {
            return try PriorDistribution.make(family: family, arguments: arguments)
        } catch let problem as PriorError.Problem {
            throw fail(field, argumentsNode, problem)
        }
    }

    /// A YAML number, including YAML's `.inf` / `.nan` spellings (which then fail the finiteness check with a
    /// clear message instead of "not a number").
    private func number(from node: Node, fail: (Node, PriorError.Problem) -> PriorError) throws -> Double {
        guard let text = node.scalar?.string else { throw fail(node, .notAScalar) }
        if let value = Double(text) { return value }
        switch text.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default: throw fail(node, .notANumber(text))
        }
    }

    private func line(_ node: Node) -> Int? { node.mark?.line }
}
