/// A textual pointer to a model version: `NAME` (the newest version), `NAME@3`, `NAME@production` or `NAME@latest`.
public struct ModelReference: Hashable, Sendable, CustomStringConvertible {
    /// Which version of the model a reference selects.
    public enum Selector: Hashable, Sendable {
        /// The highest version number present.
        case latest
        /// A version number (1, 2, 3, ...).
        case version(Int)
        /// Whatever version the alias points to.
        case alias(String)
    }

    /// The selector word that always means the newest version.
    public static let latestKeyword = "latest"

    public let name: String
    public let selector: Selector

    /// Validates the parts of a reference.
    public init(name: String, selector: Selector = .latest) throws {
        try RegistryName.validateModelName(name)
        switch selector {
        case .latest: break
        case .version(let version):
            guard version >= 1 else { throw RegistryError.invalidReference("\(name)@\(version)", reason: "versions start at 1") }
        case .alias(let alias): try RegistryName.validateAlias(alias)
        }
        self.name = name
        self.selector = selector
    }

    /// Parses `NAME`, `NAME@VERSION` or `NAME@ALIAS`.
    ///
    /// - Throws: ``RegistryError/invalidReference(_:reason:)`` or ``RegistryError/invalidName(_:reason:)``.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            try self.init(name: text)
            return
        }
        let (name, tail) = (String(parts[0]), String(parts[1]))
        guard !tail.isEmpty else { throw RegistryError.invalidReference(text, reason: "nothing after '@'") }
        if tail == Self.latestKeyword {
            try self.init(name: name)
        } else if tail.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
            guard let version = Int(tail), version >= 1, !tail.hasPrefix("0") else {
                throw RegistryError.invalidReference(text, reason: "versions are written 1, 2, 3, ... without leading zeros")
            }
            try self.init(name: name, selector: .version(version))
        } else {
            try self.init(name: name, selector: .alias(tail))
        }
    }

    public var description: String {
        switch selector {
        case .latest: return name
        case .version(let version): return "\(name)@\(version)"
        case .alias(let alias): return "\(name)@\(alias)"
        }
    }
}

/// One concrete version of a model: what a reference resolves to.
///
/// Valid by construction: the name obeys ``RegistryName`` and the version is at least 1, so an ID can always be
/// turned into a path inside the registry without escaping it (decoding checks the same).
public struct ModelVersionID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let name: String
    public let version: Int

    /// - Throws: ``RegistryError/invalidName(_:reason:)`` or ``RegistryError/invalidReference(_:reason:)``.
    public init(name: String, version: Int) throws {
        try RegistryName.validateModelName(name)
        guard version >= 1 else { throw RegistryError.invalidReference("\(name)@\(version)", reason: "versions start at 1") }
        self.init(validatedName: name, version: version)
    }

    /// For names already validated and versions already known to be positive.
    init(validatedName name: String, version: Int) {
        self.name = name
        self.version = version
    }

    private enum CodingKeys: String, CodingKey { case name, version }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(name: container.decode(String.self, forKey: .name), version: container.decode(Int.self, forKey: .version))
    }

    /// `NAME@VERSION`, which parses back to a reference to this exact version.
    public var description: String { "\(name)@\(version)" }

    public static func < (left: ModelVersionID, right: ModelVersionID) -> Bool {
        (left.name, left.version) < (right.name, right.version)
    }
}
