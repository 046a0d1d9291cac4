/// The naming rules for models, aliases and attached files.
///
/// A name becomes a directory or file name inside the registry, so it must never reach outside it: names are
/// 1 to 100 characters from `A-Z a-z 0-9 . _ + -`, do not start with a dot (hidden entries are the registry's
/// own: locks and temporary directories) and never contain `..`. That rules out `/`, control characters,
/// `@` (the reference separator) and whitespace. Alias names additionally may not be all digits (that would read
/// as a version) nor `latest` (reserved for the newest version).
public enum RegistryName {
    /// The longest name accepted.
    public static let maximumLength = 100

    /// Checks a model name.
    /// - Throws: ``RegistryError/invalidName(_:reason:)`` saying which rule is broken.
    public static func validateModelName(_ name: String) throws {
        try validate(name)
    }

    /// Checks an alias name (model-name rules, plus: not all digits, not `latest`).
    public static func validateAlias(_ alias: String) throws {
        try validate(alias)
        if alias.allSatisfy(\.isASCIIDigit) {
            throw RegistryError.invalidName(alias, reason: "an alias cannot be all digits (it would read as a version)")
        }
        if alias == ModelReference.latestKeyword {
            throw RegistryError.invalidName(alias, reason: "\"latest\" is reserved for the newest version")
        }
    }

    private static func validate(_ name: String) throws {
        let scalars = name.unicodeScalars
        if scalars.isEmpty { throw RegistryError.invalidName(name, reason: "names cannot be empty") }
        if scalars.count > maximumLength {
            throw RegistryError.invalidName(name, reason: "\(scalars.count) characters, the limit is \(maximumLength)")
        }
        if let control = scalars.first(where: { $0.properties.generalCategory == .control }) {
            throw RegistryError.invalidName(name, reason: "contains control character U+\(String(control.value, radix: 16, uppercase: true))")
        }
        if scalars.contains("/") || scalars.contains("\\") {
            throw RegistryError.invalidName(name, reason: "contains a path separator")
        }
        if scalars.first == "." { throw RegistryError.invalidName(name, reason: "names cannot start with a dot") }
        if name.contains("..") { throw RegistryError.invalidName(name, reason: "names cannot contain \"..\"") }
        if let bad = scalars.first(where: { !isAllowed($0) }) {
            // Name invisible characters (a space prints as nothing between quotes) and quote the rest.
            let shown = bad == " " ? "' ' (space)" : bad.properties.isWhitespace ? "U+\(String(bad.value, radix: 16, uppercase: true)) (white space)" : "'\(bad.escaped(asASCII: true))'"
            throw RegistryError.invalidName(name, reason: "character \(shown) is not allowed (use A-Z a-z 0-9 . _ + -)")
        }
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "+", "-": return true
        default: return false
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
