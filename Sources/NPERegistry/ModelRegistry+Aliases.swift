extension ModelRegistry {
    /// Points `alias` at a published version (creating the alias or moving it).
    ///
    /// The alias table is replaced atomically under the model lock, so concurrent promotions never lose one another.
    /// - Throws: ``RegistryError/invalidName(_:reason:)`` for a bad alias, or ``RegistryError/versionNotFound(name:version:path:)``.
    public func promote(_ id: ModelVersionID, to alias: String) throws {
        try RegistryName.validateAlias(alias)
        try RegistryName.validateModelName(id.name)
        try withModelLock(id.name) {
            try requireDirectory(versionPath(id), orElse: .versionNotFound(name: id.name, version: id.version, path: versionPath(id)))
            var index = try readIndex(id.name)
            index.aliases[alias] = id.version
            try writeIndex(index, of: id.name)
        }
    }

    /// Deletes an alias (never the version it points to).
    /// - Throws: ``RegistryError/aliasNotFound(name:alias:path:)`` when there is no such alias.
    public func removeAlias(_ alias: String, of name: String) throws {
        try RegistryName.validateAlias(alias)
        try RegistryName.validateModelName(name)
        try withModelLock(name) {
            var index = try readIndex(name)
            guard index.aliases.removeValue(forKey: alias) != nil else {
                throw RegistryError.aliasNotFound(name: name, alias: alias, path: indexPath(name))
            }
            try writeIndex(index, of: name)
        }
    }
}
