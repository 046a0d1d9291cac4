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
