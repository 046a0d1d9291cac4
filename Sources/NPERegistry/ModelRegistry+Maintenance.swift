import Foundation

extension ModelRegistry {
    /// Deletes a published version. Explicit deletion is the only kind the registry does.
    ///
    /// Refuses while an alias points to the version, unless `force`, which also deletes those aliases (an alias is
    /// never left dangling). The version directory is first renamed to a hidden temporary name, so it disappears
    /// atomically even if the deletion of its files is interrupted; ``collectGarbage()`` finishes such a deletion.
    /// Its number is never reused.
    ///
    /// - Throws: ``RegistryError/versionIsAliased(name:version:aliases:)``, ``RegistryError/versionNotFound(name:version:path:)``.
    public func remove(_ id: ModelVersionID, force: Bool = false) throws {
        try RegistryName.validateModelName(id.name)
        try withModelLock(id.name) {
            let path = versionPath(id)
            try requireDirectory(path, orElse: .versionNotFound(name: id.name, version: id.version, path: path))
            var index = try readIndex(id.name)
            let pointing = index.aliases.filter { $0.value == id.version }.keys.sorted()
            if !pointing.isEmpty {
                guard force else { throw RegistryError.versionIsAliased(name: id.name, version: id.version, aliases: pointing) }
                for alias in pointing { index.aliases.removeValue(forKey: alias) }
                try writeIndex(index, of: id.name)
            }
            let doomed = modelPath(id.name) + "/" + Self.temporaryPrefix + "removed-\(id.version)-" + UUID().uuidString
            try FileSystem.rename(path, to: doomed)
            try FileSystem.synchronizeDirectory(modelPath(id.name))
            try FileSystem.removeTree(doomed)
        }
    }

    /// What ``collectGarbage()`` did.
    public struct GarbageCollectionReport: Sendable, Equatable {
        /// Temporary entries deleted (from crashed publishes, removals or index writes).
        public var removed: [String] = []
        /// Temporary directories left alone because a live publish still holds them.
        public var inProgress: [String] = []
    }

    /// Deletes what crashed writers left behind: `.tmp-*` entries inside each model directory and inside each
    /// version's `evaluations/`.
    ///
    /// A publish directory is live while its creator holds the flock on its `.publishing` marker; the kernel drops
    /// that lock when the process dies (even by `kill -9`), so a lockable marker means a dead publish. Each model
    /// is scanned under its model lock, which every writer takes before the marker is created or deleted.
    public func collectGarbage() throws -> GarbageCollectionReport {
        var report = GarbageCollectionReport()
        for name in try modelNames() {
            try withModelLock(name) {
                for entry in try FileSystem.entries(of: modelPath(name)).sorted() where entry.hasPrefix(Self.temporaryPrefix) {
                    let path = modelPath(name) + "/" + entry
                    let marker = path + "/" + Self.publishMarkerName
                    if try FileSystem.kind(of: marker) == .regularFile {
                        guard let lock = try FileSystem.tryLocking(marker) else {
                            report.inProgress.append(path)
                            continue
                        }
                        lock.unlock()
                    }
                    try FileSystem.removeTree(path)
                    report.removed.append(path)
                }
                if !report.removed.isEmpty { try FileSystem.synchronizeDirectory(modelPath(name)) }
                // Temporary files of interrupted evaluation appends (appends also hold the model lock).
                for version in try versions(of: name) {
                    let evaluations = versionPath(ModelVersionID(validatedName: name, version: version)) + "/" + Self.evaluationsDirectoryName
                    guard try FileSystem.kind(of: evaluations) == .directory else { continue }
                    for entry in try FileSystem.entries(of: evaluations).sorted() where entry.hasPrefix(Self.temporaryPrefix) {
                        try FileSystem.removeFile(evaluations + "/" + entry)
                        report.removed.append(evaluations + "/" + entry)
                    }
                }
            }
        }
        return report
    }
}
