import Foundation
import NPESupport
import NPESafetensors

extension ModelRegistry {
    /// Publishes a new version of `name` and returns it.
    ///
    /// The version is built in a hidden temporary directory beside the versions (weights first, outside any lock,
    /// since they may be large), then, holding `<root>/<name>/.lock`: the next version number is allocated (one
    /// above the highest ever allocated, so numbers are never reused), the card and the `SHA256SUMS` manifest are
    /// written, every file and the directory are fsynced and made read-only, and the directory is renamed into
    /// place. Readers therefore see the whole version or none of it, and a crash leaves only a temporary directory
    /// for ``collectGarbage()``. An existing version is never overwritten.
    ///
    /// - Parameters:
    ///   - name: the model name (see ``RegistryName``).
    ///   - card: the model card; `name`, `version`, `createdAt` and `weights` are filled in here.
    ///   - weights: the tensors, stored as `weights.safetensors`.
    ///   - files: extra files to store with the version (a training log, a config file), by file name.
    /// - Throws: ``RegistryError/invalidName(_:reason:)``, ``RegistryError/invalidContent(reason:)`` for a card that
    ///   breaks the schema, or a file-system error naming the path.
    @discardableResult
    public func publish(name: String, card: ModelCard, weights: NamedTensors, files: [String: Data] = [:]) throws -> ModelVersionID {
        try RegistryName.validateModelName(name)
        for fileName in files.keys {
            try RegistryName.validateModelName(fileName)
            guard !Self.reservedFileNames.contains(fileName) else {
                throw RegistryError.invalidName(fileName, reason: "reserved for the registry's own files")
            }
        }
        let weightsData: Data
        do {
            weightsData = try Safetensors.encode(weights)
        } catch {
            throw RegistryError.invalidContent(reason: "\(error)")
        }
        var card = card
        card.name = name
        card.version = 1  // provisional, so the schema check can run before anything is written
        card.createdAt = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        card.weights = WeightsRecord(file: Self.weightsFileName, sha256: SHA256Digest.hex(of: weightsData), byteCount: weightsData.count)
        let problems = card.schemaProblems()
        guard problems.isEmpty else { throw RegistryError.invalidContent(reason: "model card: " + problems.joined(separator: "; ")) }

        try createModelDirectory(name)
        let (temporary, marker) = try makePublishDirectory(name)
        defer { marker.unlock() }
        do {
            var digests = [Self.weightsFileName: card.weights.sha256]
            try FileSystem.writeNewFile(temporary + "/" + Self.weightsFileName, contents: weightsData, mode: 0o444)
            for (fileName, contents) in files {
                try FileSystem.writeNewFile(temporary + "/" + fileName, contents: contents, mode: 0o444)
                digests[fileName] = SHA256Digest.hex(of: contents)
            }
            return try withModelLock(name) {
                var index = try readIndex(name)
                let version = max(index.highestVersion, try versions(of: name).last ?? 0) + 1
                card.version = version
                let cardData = try RegistryJSON.encode(card)
                digests[Self.cardFileName] = SHA256Digest.hex(of: cardData)
                try FileSystem.writeNewFile(temporary + "/" + Self.cardFileName, contents: cardData, mode: 0o444)
                try FileSystem.writeNewFile(temporary + "/" + Manifest.fileName, contents: Manifest(digests: digests).encoded, mode: 0o444)
                try FileSystem.makeDirectory(temporary + "/" + Self.evaluationsDirectoryName)
                // Safe without the marker from here on: garbage collection also takes the model lock, held now.
                try FileSystem.removeFile(temporary + "/" + Self.publishMarkerName)
                try FileSystem.setMode(temporary, 0o555)
                try FileSystem.synchronizeDirectory(temporary)

                let id = ModelVersionID(validatedName: name, version: version)
                let destination = versionPath(id)
                guard try FileSystem.kind(of: destination) == .missing else {
                    throw RegistryError.invalidContent(reason: "\(destination) already exists; refusing to overwrite it")
                }
                try FileSystem.rename(temporary, to: destination)
                try FileSystem.synchronizeDirectory(modelPath(name))
                index.highestVersion = version
                try writeIndex(index, of: name)
                return id
            }
        } catch {
            try? FileSystem.removeTree(temporary)
            throw error
        }
    }

    /// Marks a publish directory as in progress: its creator holds an flock on it until done or dead.
    static let publishMarkerName = ".publishing"

    /// Creates `<root>/<name>/` (and the root) if needed, refusing links.
    func createModelDirectory(_ name: String) throws {
        if try FileSystem.kind(of: rootPath) == .missing {
            // Create missing ancestors too, outermost first (the user's own directories: links there are theirs).
            var prefix = ""
            for component in rootPath.split(separator: "/") {
                prefix += "/" + component
                try FileSystem.makeDirectory(prefix)
            }
        }
        try requireDirectory(rootPath, orElse: .missingFile(path: rootPath))
        if try FileSystem.makeDirectory(modelPath(name)) {
            try FileSystem.synchronizeDirectory(rootPath)
        }
        try requireDirectory(modelPath(name), orElse: .modelNotFound(name: name, path: modelPath(name)))
    }

    /// Creates `<root>/<name>/.tmp-<uuid>/` holding a locked marker file. Both happen under the model lock, so
    /// garbage collection (which takes that lock) never sees the directory without its marker while it is live.
    func makePublishDirectory(_ name: String) throws -> (path: String, marker: FileLock) {
        try withModelLock(name) {
            let path = modelPath(name) + "/" + Self.temporaryPrefix + UUID().uuidString
            try FileSystem.makeDirectory(path, mode: 0o755)
            return (path, try FileSystem.lock(path + "/" + Self.publishMarkerName))
        }
    }

    /// Runs `body` holding the exclusive lock of model `name` (which must exist).
    func withModelLock<Result>(_ name: String, _ body: () throws -> Result) throws -> Result {
        try RegistryName.validateModelName(name)
        try requireDirectory(modelPath(name), orElse: .modelNotFound(name: name, path: modelPath(name)))
        let lock = try FileSystem.lock(lockPath(name))
        defer { lock.unlock() }
        return try body()
    }

    /// Replaces `index.json` atomically: a temporary file, fsynced, renamed over the old one, and the directory fsynced.
    /// Callers hold the model lock.
    func writeIndex(_ index: ModelIndex, of name: String) throws {
        let temporary = modelPath(name) + "/" + Self.temporaryPrefix + "index-" + UUID().uuidString
        try FileSystem.writeNewFile(temporary, contents: RegistryJSON.encode(index))
        do {
            try FileSystem.rename(temporary, to: indexPath(name))
        } catch {
            try? FileSystem.removeFile(temporary)
            throw error
        }
        try FileSystem.synchronizeDirectory(modelPath(name))
    }
}
