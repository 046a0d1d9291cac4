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
        try RegistryJSON.decodeVersioned(
            ModelIndex.self, from: data, path: path, supported: currentFormatVersion,
            malformed: { RegistryError.malformedFile(path: path, reason: $0) })
    }
}
