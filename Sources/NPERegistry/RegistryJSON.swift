import Foundation

/// The JSON conventions of every registry file: sorted keys and indentation (stable bytes, readable diffs),
/// unescaped slashes, and ISO 8601 dates in UTC.
enum RegistryJSON {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Encodes with a trailing newline, the way text files end.
    static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        do {
            var data = try encoder.encode(value)
            data.append(0x0A)
            return data
        } catch {
            throw RegistryError.invalidContent(reason: describe(error))
        }
    }

    /// A decoding error in words, with the dotted path of the offending field.
    static func describe(_ error: Error) -> String {
        func path(_ codingPath: [CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "(top level)" : text)
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing field \(path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(let type, let context):
            return "field \(path(context.codingPath)) is not a \(type)"
        case DecodingError.valueNotFound(let type, let context):
            return "field \(path(context.codingPath)) is null, expected a \(type)"
        case DecodingError.dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case EncodingError.invalidValue(let value, let context):
            return "cannot encode \(value) at \(path(context.codingPath)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
