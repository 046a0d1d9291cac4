/// Why a forward-model data file could not be read.
///
/// Every case names the file (its last path component or resource name) and the field or row, so that a corrupt or
/// substituted table is reported precisely instead of producing a silently wrong spectrum.
public enum ForwardModelDataError: Error, Equatable, CustomStringConvertible {
    /// The resource was not found in the module bundle (or at the given path).
    case missingFile(file: String)
    /// The file ended before `field` could be read: `needed` bytes were required, `available` were present.
    case truncated(file: String, field: String, needed: Int, available: Int)
    /// `field` holds a value the reader cannot accept (`reason` says why).
    case invalidField(file: String, field: String, reason: String)
    /// A text table has a bad entry at 1-based line `line`.
    case invalidRow(file: String, line: Int, field: String, reason: String)
    /// Two tables that must agree (for example k-table wavelength grids) do not.
    case inconsistentTables(file: String, field: String, reason: String)

    public var description: String {
        switch self {
        case let .missingFile(file):
            return "forward-model data file '\(file)' was not found"
        case let .truncated(file, field, needed, available):
            return "\(file): truncated while reading '\(field)' (needs \(needed) bytes, file has \(available))"
        case let .invalidField(file, field, reason):
            return "\(file): field '\(field)' is invalid: \(reason)"
        case let .invalidRow(file, line, field, reason):
            return "\(file), line \(line), field '\(field)': \(reason)"
        case let .inconsistentTables(file, field, reason):
            return "\(file): '\(field)' disagrees with the other tables: \(reason)"
        }
    }
}
