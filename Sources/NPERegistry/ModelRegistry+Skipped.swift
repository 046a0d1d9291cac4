import Foundation

/// A top-level registry entry that ``ModelRegistry/modelNames()`` does not list, and why.
public struct SkippedRegistryEntry: Sendable, Equatable {
    /// The entry's name in the registry root.
    public let name: String
    /// Why it is not a model, in words.
    public let reason: String
    /// When the entry looks like a model that is being hidden (a symbolic link with a model's name), the error
    /// that ``ModelRegistry/verifySkippedEntries()`` reports; nil for an entry that is simply not a model (a
    /// directory with an invalid name).
    public let problem: RegistryError?
}

extension ModelRegistry {
    /// The visible entries of the root that are not listed as models, sorted by name: symbolic links (never
    /// followed, so a model directory replaced by a link would otherwise vanish from `list` and `verify` without
    /// a word), directories whose names break the naming rules, and special files. Hidden entries (`.`-prefixed:
    /// temporary and lock files) are the registry's own, and regular files (a README) are not models; neither is
    /// reported.
    public func skippedEntries() throws -> [SkippedRegistryEntry] {
        try requireDirectory(rootPath, orElse: .missingFile(path: rootPath))
        var skipped: [SkippedRegistryEntry] = []
        for name in try FileSystem.entries(of: rootPath).sorted() where !name.hasPrefix(".") {
            let path = modelPath(name)
            var invalidName: String?
            do { try RegistryName.validateModelName(name) } catch { invalidName = "\(error)" }
            switch try FileSystem.kind(of: path) {
            case .directory:
                if let invalidName { skipped.append(.init(name: name, reason: "not a valid model name (\(invalidName))", problem: nil)) }
            case .symbolicLink:
                let destination = FileSystem.linkDestination(path)
                skipped.append(.init(
                    name: name, reason: "a symbolic link to \(destination); links in a registry are never followed, "
                        + "so its models are not listed (move the directory itself here)",
                    problem: invalidName == nil ? .symbolicLink(path: path, destination: destination) : nil))
            case .regularFile:
                continue  // a README or notes beside the models: not a model, and nothing to warn about
            case .other:
                skipped.append(.init(name: name, reason: "neither a file nor a directory", problem: nil))
            case .missing:
                continue  // removed while listing
            }
        }
        return skipped
    }

    /// One failed report per skipped entry that hides a model (``SkippedRegistryEntry/problem``), for a
    /// whole-registry `verify`: a symbolic link where a model directory should be fails verification.
    public func verifySkippedEntries() throws -> [VerificationReport] {
        try skippedEntries().compactMap { entry in
            entry.problem.map { VerificationReport(name: entry.name, version: nil, problems: [$0], isSkippedEntry: true) }
        }
    }
}
