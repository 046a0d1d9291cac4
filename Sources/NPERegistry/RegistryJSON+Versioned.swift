import Foundation

extension RegistryJSON {
    /// Decodes a registry file whose `formatVersion` must be `supported`: the version first, so that a newer file is
    /// refused by its version (``RegistryError/unsupportedFormatVersion(path:found:supported:)``) rather than by some
    /// field it happens to add, then the whole value.
    ///
    /// - Parameter malformed: the error for bytes that do not decode, given ``describe(_:)``'s words (a card is a
    ///   `malformedCard`, other files are `malformedFile`).
    static func decodeVersioned<Value: Decodable>(
        _ type: Value.Type, from data: Data, path: String, supported: Int, malformed: (String) -> RegistryError
    ) throws -> Value {
        let version: Int
        do {
            version = try decoder.decode(FormatVersionProbe.self, from: data).formatVersion
        } catch {
            throw malformed(describe(error))
        }
        guard version == supported else {
            throw RegistryError.unsupportedFormatVersion(path: path, found: version, supported: supported)
        }
        do {
            return try decoder.decode(Value.self, from: data)
        } catch {
            throw malformed(describe(error))
        }
    }
}

/// The one field every registry JSON file has, read before anything else.
private struct FormatVersionProbe: Decodable {
    var formatVersion: Int
}
