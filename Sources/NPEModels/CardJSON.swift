import Foundation
import NPERegistry
import NPESupport

/// Conversions between typed Codable values and the card's free-form ``JSONValue`` fields.
enum CardJSON {
    static func value<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try JSONDecoder().decode(JSONValue.self, from: encoder.encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, field: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: JSONEncoder().encode(value))
        } catch let error as ModelCardError {
            throw ModelCardError.invalidField(field: field, reason: error.description)
        } catch {
            throw ModelCardError.invalidField(field: field, reason: "does not decode as \(type): \(error)")
        }
    }

    static func string<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
