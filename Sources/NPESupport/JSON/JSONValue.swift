import Foundation

/// A JSON value: the free-form parts of a model card (architecture, prior, noise model, training configuration)
/// and of a safetensors header.
///
/// The card itself is a typed `Codable` struct, so a missing or mistyped field is an error, while the parts whose
/// shape depends on the model kind stay open through this enum. Numbers are `Double`, as in JSON itself
/// (RFC 8259, section 6): integers up to 2^53 survive exactly. Non-finite numbers cannot be encoded and are
/// rejected when a card is written.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension JSONValue {
    /// The value at `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// Leaf values keyed by dotted paths (`layers[0].width`), in sorted order: the form `diff` compares.
    ///
    /// Empty arrays and objects appear as leaves (`[]`, `{}`) so that they are not lost from a comparison.
    public func flattened(prefix: String = "") -> [(path: String, value: String)] {
        switch self {
        case .object(let members) where !members.isEmpty:
            return members.keys.sorted().flatMap { key in
                members[key]!.flattened(prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
            }
        case .array(let elements) where !elements.isEmpty:
            return elements.enumerated().flatMap { index, element in element.flattened(prefix: "\(prefix)[\(index)]") }
        default:
            return [(prefix, compactText)]
        }
    }

    /// A one-line rendering for tables: strings unquoted, integers without a decimal point.
    public var compactText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        case .string(let value): return value
        case .array(let elements): return "[" + elements.map(\.compactText).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.keys.sorted().map { "\($0): \(members[$0]!.compactText)" }.joined(separator: ", ") + "}"
        }
    }

    /// Whether every number inside is finite (JSON has no spelling for NaN or infinity).
    public var isFinite: Bool {
        switch self {
        case .number(let value): return value.isFinite
        case .array(let elements): return elements.allSatisfy(\.isFinite)
        case .object(let members): return members.values.allSatisfy(\.isFinite)
        default: return true
        }
    }
}
