import Foundation
import NPESafetensors

/// A directory of versioned, immutable, verifiable models.
///
/// Layout (specified byte by byte in `docs/registry-format.md`):
///
/// ```
/// <root>/<name>/index.json                  aliases and the highest version allocated
/// <root>/<name>/.lock                       flock target serialising writers of <name>
/// <root>/<name>/<version>/card.json         ModelCard
/// <root>/<name>/<version>/weights.safetensors
/// <root>/<name>/<version>/<attached files>  optional, listed in SHA256SUMS
/// <root>/<name>/<version>/SHA256SUMS        digests of every file above
/// <root>/<name>/<version>/evaluations/      EvaluationRecord files, appended later
/// ```
///
/// Published versions are immutable: files are mode 0444 and the directory 0555 (evaluation records, in their
/// own subdirectory, are the one documented addition). Every write builds under a hidden temporary name, is
/// fsynced, and is renamed into place, so a crash leaves either the whole version or nothing visible; ``collectGarbage()``
/// clears what a crash leaves. Symbolic links inside the registry are never followed.
///
/// A `ModelRegistry` holds no state besides its root, so any number of instances, in any number of threads or
/// processes, can share one directory: writers of one model serialise on `<root>/<name>/.lock`.
public struct ModelRegistry: Sendable {
    /// The weights file of every version.
    public static let weightsFileName = "weights.safetensors"
    /// The model card of every version.
    public static let cardFileName = "card.json"
    /// The subdirectory of evaluation records.
    public static let evaluationsDirectoryName = "evaluations"
    /// Prefix of temporary entries (in-progress or crashed publishes, removals, index writes).
    static let temporaryPrefix = ".tmp-"
    static let lockFileName = ".lock"
    /// Names an attached file cannot take.
    static let reservedFileNames: Set<String> = [
        weightsFileName, cardFileName, Manifest.fileName, evaluationsDirectoryName, ModelIndex.fileName,
    ]

    /// The registry directory.
    public let root: URL

    /// A registry rooted at `root`. Nothing is touched until a method runs; publishing creates the directory.
    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    // MARK: - Paths

    var rootPath: String { root.path }
    func modelPath(_ name: String) -> String { rootPath + "/" + name }
    func versionPath(_ id: ModelVersionID) -> String { modelPath(id.name) + "/\(id.version)" }
    func indexPath(_ name: String) -> String { modelPath(name) + "/" + ModelIndex.fileName }
    func lockPath(_ name: String) -> String { modelPath(name) + "/" + Self.lockFileName }

    /// The directory of a published version.
    public func directory(of id: ModelVersionID) -> URL { URL(fileURLWithPath: versionPath(id), isDirectory: true) }

    /// Fails unless `path` is a real directory; a symbolic link is reported, never followed.
    func requireDirectory(_ path: String, orElse missing: @autoclosure () -> RegistryError) throws {
        switch try FileSystem.kind(of: path) {
        case .directory: return
        case .symbolicLink: throw RegistryError.symbolicLink(path: path, destination: FileSystem.linkDestination(path))
        case .missing: throw missing()
        case .regularFile, .other: throw RegistryError.malformedFile(path: path, reason: "expected a directory")
        }
    }

    // MARK: - Listing

    /// Model names in the registry, sorted. Hidden entries and names that break the naming rules are skipped.
    public func modelNames() throws -> [String] {
        try requireDirectory(rootPath, orElse: .missingFile(path: rootPath))
        return try FileSystem.entries(of: rootPath).filter { name in
            guard (try? RegistryName.validateModelName(name)) != nil else { return false }
            return try FileSystem.kind(of: modelPath(name)) == .directory
        }.sorted()
    }

    /// Published version numbers of `name`, ascending.
    public func versions(of name: String) throws -> [Int] {
        try RegistryName.validateModelName(name)
        let path = modelPath(name)
        try requireDirectory(path, orElse: .modelNotFound(name: name, path: path))
        var versions: [Int] = []
        for entry in try FileSystem.entries(of: path) {
            guard let version = Self.versionNumber(entry) else { continue }
            let entryPath = path + "/" + entry
            try requireDirectory(entryPath, orElse: .versionNotFound(name: name, version: version, path: entryPath))
            versions.append(version)
        }
        return versions.sorted()
    }

    /// The version a directory name spells (`1`, `2`, ...; no sign, no leading zero), or `nil`.
    static func versionNumber(_ entry: String) -> Int? {
        guard !entry.hasPrefix("0"), entry.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int(entry), value >= 1 else { return nil }
        return value
    }

    /// Aliases of `name` and the versions they point to.
    public func aliases(of name: String) throws -> [String: Int] {
        try readIndex(name).aliases
    }

    // MARK: - Resolving and loading

    /// The version a reference selects.
    ///
    /// - Throws: ``RegistryError/modelNotFound(name:path:)``, ``RegistryError/versionNotFound(name:version:path:)``,
    ///   ``RegistryError/aliasNotFound(name:alias:path:)`` or ``RegistryError/noVersions(name:path:)``.
    public func resolve(_ reference: ModelReference) throws -> ModelVersionID {
        let name = reference.name
        let path = modelPath(name)
        try requireDirectory(path, orElse: .modelNotFound(name: name, path: path))
        let version: Int
        switch reference.selector {
        case .latest:
            guard let newest = try versions(of: name).last else { throw RegistryError.noVersions(name: name, path: path) }
            version = newest
        case .version(let number):
            version = number
        case .alias(let alias):
            guard let target = try readIndex(name).aliases[alias] else {
                throw RegistryError.aliasNotFound(name: name, alias: alias, path: indexPath(name))
            }
            version = target
        }
        let id = ModelVersionID(validatedName: name, version: version)
        try requireDirectory(versionPath(id), orElse: .versionNotFound(name: name, version: version, path: versionPath(id)))
        return id
    }

    /// Parses and resolves `NAME`, `NAME@VERSION` or `NAME@ALIAS`.
    public func resolve(_ reference: String) throws -> ModelVersionID {
        try resolve(ModelReference(parsing: reference))
    }

    /// Reads a version's card after checking it against the version's manifest.
    public func card(of id: ModelVersionID) throws -> ModelCard {
        let manifest = try readManifest(id)
        let path = versionPath(id) + "/" + Self.cardFileName
        let data = try readVerified(path, manifest: manifest)
        let card = try ModelCard.decode(data, path: path)
        try Self.checkIdentity(of: card, storedAs: id, path: path)
        return card
    }

    /// A card must describe the version whose directory holds it: a card edited (or copied) to say another name or
    /// version, with its checksums regenerated, would otherwise load under the wrong reference. ``verify(_:)``
    /// reports the same rule as a problem.
    static func checkIdentity(of card: ModelCard, storedAs id: ModelVersionID, path: String) throws {
        guard card.name != id.name || card.version != id.version else { return }
        throw RegistryError.malformedCard(
            path: path, reason: "it describes \(card.name)@\(card.version), but it is stored as \(id.name)@\(id.version)")
    }

    /// Loads a version: the card and the weights, both checked against their SHA-256 every time.
    ///
    /// - Throws: ``RegistryError/checksumMismatch(path:expected:actual:)`` for a modified file, and the resolution
    ///   and format errors of ``resolve(_:)-(ModelReference)`` and ``card(of:)``.
    public func load(_ reference: ModelReference) throws -> LoadedModel {
        let id = try resolve(reference)
        let manifest = try readManifest(id)
        let cardPath = versionPath(id) + "/" + Self.cardFileName
        let card = try ModelCard.decode(try readVerified(cardPath, manifest: manifest), path: cardPath)
        try Self.checkIdentity(of: card, storedAs: id, path: cardPath)
        let weightsPath = versionPath(id) + "/" + card.weights.file
        let weightsData = try readVerified(weightsPath, manifest: manifest)
        let actual = SHA256Digest.hex(of: weightsData)
        guard actual == card.weights.sha256 else {
            throw RegistryError.checksumMismatch(path: weightsPath, expected: card.weights.sha256, actual: actual)
        }
        let weights: NamedTensors
        do {
            weights = try Safetensors.decode(weightsData)
        } catch {
            throw RegistryError.malformedWeights(path: weightsPath, reason: "\(error)")
        }
        let attached = manifest.digests.keys.filter { $0 != Self.cardFileName && $0 != card.weights.file }.sorted()
        return LoadedModel(id: id, card: card, weights: weights, attachedFileNames: attached, directory: directory(of: id))
    }

    /// Loads by textual reference (see ``load(_:)-(ModelReference)``).
    public func load(_ reference: String) throws -> LoadedModel {
        try load(ModelReference(parsing: reference))
    }

    /// Reads a file attached at publish time, checked against the manifest.
    public func attachedFile(named fileName: String, of id: ModelVersionID) throws -> Data {
        try RegistryName.validateModelName(fileName)
        let manifest = try readManifest(id)
        let path = versionPath(id) + "/" + fileName
        guard manifest.digests[fileName] != nil else { throw RegistryError.missingFile(path: path) }
        return try readVerified(path, manifest: manifest)
    }

    // MARK: - Checked reads

    func readManifest(_ id: ModelVersionID) throws -> Manifest {
        try requireDirectory(versionPath(id), orElse: .versionNotFound(name: id.name, version: id.version, path: versionPath(id)))
        let path = versionPath(id) + "/" + Manifest.fileName
        return try Manifest(data: FileSystem.readFile(path), path: path)
    }

    /// Reads a version file and checks it against its manifest entry.
    func readVerified(_ path: String, manifest: Manifest) throws -> Data {
        let fileName = (path as NSString).lastPathComponent
        let data = try FileSystem.readFile(path)
        guard let expected = manifest.digests[fileName] else { throw RegistryError.unlistedFile(path: path) }
        let actual = SHA256Digest.hex(of: data)
        guard actual == expected else { throw RegistryError.checksumMismatch(path: path, expected: expected, actual: actual) }
        return data
    }

    func readIndex(_ name: String) throws -> ModelIndex {
        try RegistryName.validateModelName(name)
        let path = modelPath(name)
        try requireDirectory(path, orElse: .modelNotFound(name: name, path: path))
        let index = indexPath(name)
        guard try FileSystem.kind(of: index) != .missing else { return ModelIndex() }
        return try ModelIndex.decode(FileSystem.readFile(index), path: index)
    }
}
