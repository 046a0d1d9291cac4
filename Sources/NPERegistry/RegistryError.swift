import Foundation

/// Everything that can go wrong in the registry. Each case names the path or reference involved, so a message
/// alone tells the user which file to look at.
public enum RegistryError: Error, Equatable, Sendable {
    /// A model, alias or file name breaks the naming rules (see ``RegistryName``).
    case invalidName(String, reason: String)
    /// A reference is not `NAME`, `NAME@VERSION` or `NAME@ALIAS`.
    case invalidReference(String, reason: String)
    /// No model of that name exists; `path` is where it would be.
    case modelNotFound(name: String, path: String)
    /// The model exists but not that version.
    case versionNotFound(name: String, version: Int, path: String)
    /// The model has no such alias; `path` is its alias table.
    case aliasNotFound(name: String, alias: String, path: String)
    /// The model has no versions at all (every one was removed).
    case noVersions(name: String, path: String)
    /// A file that must exist is missing.
    case missingFile(path: String)
    /// A file's SHA-256 differs from the recorded one: it was changed after publishing.
    case checksumMismatch(path: String, expected: String, actual: String)
    /// A file inside a version directory is not listed in its manifest.
    case unlistedFile(path: String)
    /// `card.json` is not valid JSON or breaks the card schema.
    case malformedCard(path: String, reason: String)
    /// A card, alias table or manifest declares a format version this tool does not read.
    case unsupportedFormatVersion(path: String, found: Int, supported: Int)
    /// The weights file is not valid safetensors.
    case malformedWeights(path: String, reason: String)
    /// A registry file other than the card (alias table, manifest, evaluation record) is unreadable.
    case malformedFile(path: String, reason: String)
    /// A symbolic link was found inside the registry; the registry never follows them.
    case symbolicLink(path: String, destination: String)
    /// `remove` was asked to delete a version that aliases still point to.
    case versionIsAliased(name: String, version: Int, aliases: [String])
    /// The card or a tensor could not be written.
    case invalidContent(reason: String)
    /// A system call failed.
    case systemCall(function: String, path: String, errno: Int32)
}

extension RegistryError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidName(let name, let reason):
            return "invalid name \(Self.quoted(name)): \(reason)"
        case .invalidReference(let text, let reason):
            return "invalid model reference \(Self.quoted(text)): \(reason)"
        case .modelNotFound(let name, let path):
            return "no model named \(Self.quoted(name)) (\(path) does not exist)"
        case .versionNotFound(let name, let version, let path):
            return "model \(Self.quoted(name)) has no version \(version) (\(path) does not exist)"
        case .aliasNotFound(let name, let alias, let path):
            return "model \(Self.quoted(name)) has no alias \(Self.quoted(alias)) (see \(path))"
        case .noVersions(let name, let path):
            return "model \(Self.quoted(name)) has no versions in \(path)"
        case .missingFile(let path):
            return "missing file \(path)"
        case .checksumMismatch(let path, let expected, let actual):
            return "\(path) has been modified: sha256 is \(actual), expected \(expected)"
        case .unlistedFile(let path):
            return "\(path) is not listed in the version's SHA256SUMS manifest"
        case .malformedCard(let path, let reason):
            return "malformed model card \(path): \(reason)"
        case .unsupportedFormatVersion(let path, let found, let supported):
            return "\(path) has format version \(found), but this tool reads format version \(supported); upgrade ExoNPE to read it"
        case .malformedWeights(let path, let reason):
            return "malformed weights file \(path): \(reason)"
        case .malformedFile(let path, let reason):
            return "malformed registry file \(path): \(reason)"
        case .symbolicLink(let path, let destination):
            return "refusing to follow symbolic link \(path) -> \(destination): the registry contains no links"
        case .versionIsAliased(let name, let version, let aliases):
            return "\(name)@\(version) is the target of alias(es) \(aliases.joined(separator: ", ")); move them or pass --force"
        case .invalidContent(let reason):
            return "cannot publish: \(reason)"
        case .systemCall(let function, let path, let errno):
            return "\(function)(\(path)) failed: \(String(cString: strerror(errno))) (errno \(errno))"
        }
    }

    /// Names with control characters are printed escaped, so an error message cannot itself smuggle them.
    private static func quoted(_ text: String) -> String {
        "\"" + text.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined() + "\""
    }
}

extension RegistryError: LocalizedError {
    public var errorDescription: String? { description }
}
