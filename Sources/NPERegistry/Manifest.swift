import Foundation

/// `SHA256SUMS`: the digest of every file of a version except evaluation records, in the text format of
/// coreutils `sha256sum` (`<64 hex digits><space><space><relative path>\n`, sorted by path), so
/// `sha256sum -c SHA256SUMS` checks a version with no ExoNPE installed.
struct Manifest: Equatable {
    static let fileName = "SHA256SUMS"

    /// Relative path to lowercase hexadecimal SHA-256.
    var digests: [String: String]

    var encoded: Data {
        let lines = digests.keys.sorted().map { "\(digests[$0]!)  \($0)\n" }
        return Data(lines.joined().utf8)
    }

    init(digests: [String: String]) {
        self.digests = digests
    }

    /// Parses a manifest strictly: every line must be a digest, two spaces and a plain file name.
    init(data: Data, path: String) throws {
        guard let text = String(data: data, encoding: .utf8) else {
            throw RegistryError.malformedFile(path: path, reason: "not UTF-8")
        }
        digests = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[1].isEmpty, Self.isDigest(String(parts[0])), !parts[2].isEmpty,
                  !parts[2].contains("/"), !parts[2].hasPrefix(".")
            else {
                throw RegistryError.malformedFile(path: path, reason: "line \(index + 1) is not \"<sha256>  <file name>\"")
            }
            guard digests.updateValue(String(parts[0]), forKey: String(parts[2])) == nil else {
                throw RegistryError.malformedFile(path: path, reason: "line \(index + 1) repeats \(parts[2])")
            }
        }
    }

    /// Whether `text` is 64 lowercase hexadecimal digits.
    static func isDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

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

/// One evaluation result appended to a published version (`evaluations/<timestamp>-<kind>.json`), e.g. the
/// coverage report of `npe-validate`. Records sit beside the card and never change it or the weights.
public struct EvaluationRecord: Codable, Equatable, Sendable {
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// What was evaluated, e.g. `coverage` or `sbc` (a name under ``RegistryName`` rules).
    public var kind: String
    public var createdAt: Date
    public var toolVersion: String
    /// The results, in whatever shape the evaluation defines.
    public var results: JSONValue

    public init(kind: String, results: JSONValue, toolVersion: String, createdAt: Date = Date()) {
        self.formatVersion = Self.currentFormatVersion
        self.kind = kind
        self.results = results
        self.toolVersion = toolVersion
        self.createdAt = Date(timeIntervalSince1970: createdAt.timeIntervalSince1970.rounded(.down))
    }
}
