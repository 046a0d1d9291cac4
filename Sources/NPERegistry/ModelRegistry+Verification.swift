import Foundation
import NPESafetensors

/// The outcome of checking one version, or a model's alias table: every problem found, not just the first.
public struct VerificationReport: Sendable, Equatable {
    /// The model checked.
    public let name: String
    /// The version checked; `nil` for the model's own `index.json` (aliases).
    public let version: Int?
    /// Problems found; empty means intact.
    public let problems: [RegistryError]

    /// Whether this reports a root entry that is not a model directory (``ModelRegistry/verifySkippedEntries()``).
    public let isSkippedEntry: Bool

    public init(name: String, version: Int?, problems: [RegistryError], isSkippedEntry: Bool = false) {
        self.name = name
        self.version = version
        self.problems = problems
        self.isSkippedEntry = isSkippedEntry
    }

    public var isIntact: Bool { problems.isEmpty }

    /// `NAME@VERSION`, `NAME (index.json)` for the alias table, or `NAME (skipped)` for a root entry that is not a
    /// model directory.
    public var subject: String {
        if isSkippedEntry { return "\(name) (skipped)" }
        return version.map { "\(name)@\($0)" } ?? "\(name) (\(ModelIndex.fileName))"
    }
}

extension ModelRegistry {
    /// Checks a published version from scratch: the manifest parses; every listed file exists and matches its
    /// SHA-256; no unlisted file has appeared; the card parses, has a supported format version and passes
    /// ``ModelCard/schemaProblems()``; the weights digest matches the card; the weights parse as safetensors;
    /// and evaluation records parse.
    ///
    /// Problems are collected into the report; only a version that cannot be found at all throws.
    public func verify(_ id: ModelVersionID) throws -> VerificationReport {
        let path = versionPath(id)
        try requireDirectory(path, orElse: .versionNotFound(name: id.name, version: id.version, path: path))
        var problems: [RegistryError] = []
        func record(_ body: () throws -> Void) {
            do { try body() } catch let error as RegistryError { problems.append(error) } catch {
                problems.append(.malformedFile(path: path, reason: "\(error)"))
            }
        }
        var manifest = Manifest(digests: [:])
        record { manifest = try readManifest(id) }
        var contents: [String: Data] = [:]
        record {
            for entry in try FileSystem.entries(of: path).sorted()
            where entry != Manifest.fileName && entry != Self.evaluationsDirectoryName && manifest.digests[entry] == nil {
                problems.append(.unlistedFile(path: path + "/" + entry))
            }
        }
        for fileName in manifest.digests.keys.sorted() {
            record { contents[fileName] = try readVerified(path + "/" + fileName, manifest: manifest) }
        }
        let cardPath = path + "/" + Self.cardFileName
        if manifest.digests[Self.cardFileName] == nil, (try? FileSystem.kind(of: cardPath)) == .missing {
            problems.append(.missingFile(path: cardPath))
        }
        if let cardData = contents[Self.cardFileName] {
            record {
                let card = try ModelCard.decode(cardData, path: cardPath)
                record { try Self.checkIdentity(of: card, storedAs: id, path: cardPath) }
                let weightsPath = path + "/" + card.weights.file
                guard let weights = contents[card.weights.file] else {
                    if manifest.digests[card.weights.file] == nil { problems.append(.unlistedFile(path: weightsPath)) }
                    return
                }
                let actual = SHA256Digest.hex(of: weights)
                if actual != card.weights.sha256 {
                    problems.append(.checksumMismatch(path: weightsPath, expected: card.weights.sha256, actual: actual))
                }
                do {
                    _ = try Safetensors.decode(weights)
                } catch {
                    problems.append(.malformedWeights(path: weightsPath, reason: "\(error)"))
                }
            }
        }
        record { _ = try evaluations(of: id) }
        return VerificationReport(name: id.name, version: id.version, problems: problems)
    }

    /// Verifies every version of `name`, plus its alias table (each alias must point at a published version).
    public func verifyModel(_ name: String) throws -> [VerificationReport] {
        let published = try versions(of: name)
        var reports = try published.map { try verify(ModelVersionID(validatedName: name, version: $0)) }
        var problems: [RegistryError] = []
        do {
            for (alias, version) in try aliases(of: name).sorted(by: { $0.key < $1.key }) where !published.contains(version) {
                problems.append(.malformedFile(path: indexPath(name), reason: "alias \(alias) points to missing version \(version)"))
            }
        } catch let error as RegistryError {
            problems.append(error)
        }
        reports.append(VerificationReport(name: name, version: nil, problems: problems))
        return reports
    }
}
