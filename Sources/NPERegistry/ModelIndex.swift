import Foundation

/// `<name>/index.json`: a model's aliases and the highest version ever allocated. The latter makes version
/// numbers monotonic even after `remove`: a number is never reused for different weights.
struct ModelIndex: Codable, Equatable {
    static let fileName = "index.json"
    static let currentFormatVersion = 1

    var formatVersion = currentFormatVersion
    var highestVersion = 0
    var aliases: [String: Int] = [:]

    static func decode(_ data: Data, path: String) throws -> ModelIndex {
        let version: Int
        do {
            version = try RegistryJSON.decoder.decode(FormatVersionProbe.self, from: data).formatVersion
        } catch {
            throw RegistryError.malformedFile(path: path, reason: RegistryJSON.describe(error))
        }
        guard version == currentFormatVersion else {
            throw RegistryError.unsupportedFormatVersion(path: path, found: version, supported: currentFormatVersion)
        }
        do {
            return try RegistryJSON.decoder.decode(ModelIndex.self, from: data)
        } catch {
            throw RegistryError.malformedFile(path: path, reason: RegistryJSON.describe(error))
        }
    }
}
