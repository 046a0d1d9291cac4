/// A scalar attribute value. Strings are stored as variable-length UTF-8 (h5py reads them as `str`);
/// structured metadata goes into strings as JSON text.
public enum HDF5AttributeValue: Hashable, Sendable {
    case string(String)
    case int64(Int64)
    case uint64(UInt64)
    case double(Double)

    var kindName: String {
        switch self {
        case .string: return "string"
        case .int64: return "int64"
        case .uint64: return "uint64"
        case .double: return "float64"
        }
    }
}

/// The attributes of one group, dataset or file root.
///
/// A lightweight view: it keeps the owning object's handle alive, and fails with
/// ``HDF5Error/objectClosed(path:)`` once the file is committed or closed.
public struct HDF5Attributes {
    let owner: HDF5Handle
    /// `"<file>:<object>"` of the owner.
    let ownerPath: String

    private func path(_ name: String) -> String { "\(ownerPath)@\(name)" }

    /// Writes `value`, replacing any attribute called `name`.
    public func set(_ name: String, to value: HDF5AttributeValue) throws {
        try H5.writeAttribute(value, on: owner, named: name, path: path(name))
    }

    /// Deletes the attribute `name`; ``HDF5Error/missingObject(path:)`` if there is none.
    public func remove(_ name: String) throws {
        guard try contains(name) else { throw HDF5Error.missingObject(path: path(name)) }
        try H5.deleteAttribute(on: owner, named: name, path: path(name))
    }

    /// Whether an attribute called `name` exists.
    public func contains(_ name: String) throws -> Bool {
        try H5.attributeExists(on: owner, named: name, path: path(name))
    }

    /// The value, or nil when there is no attribute called `name`.
    public func value(of name: String) throws -> HDF5AttributeValue? {
        guard try contains(name) else { return nil }
        return try H5.readAttribute(on: owner, named: name, path: path(name))
    }

    /// All attribute names, sorted.
    public func names() throws -> [String] {
        try H5.attributeNames(on: owner)
    }

    /// The string attribute `name`; throws ``HDF5Error/missingObject(path:)`` or
    /// ``HDF5Error/attributeTypeMismatch(path:stored:requested:)``.
    public func string(_ name: String) throws -> String {
        switch try required(name) {
        case .string(let text): return text
        case let other: throw mismatch(name, other, "string")
        }
    }

    /// The integer attribute `name` as Int64 (an unsigned value above Int64.max is a mismatch).
    public func int64(_ name: String) throws -> Int64 {
        switch try required(name) {
        case .int64(let number): return number
        case .uint64(let number) where number <= UInt64(Int64.max): return Int64(number)
        case let other: throw mismatch(name, other, "int64")
        }
    }

    /// The integer attribute `name` as UInt64 (a negative value is a mismatch).
    public func uint64(_ name: String) throws -> UInt64 {
        switch try required(name) {
        case .uint64(let number): return number
        case .int64(let number) where number >= 0: return UInt64(number)
        case let other: throw mismatch(name, other, "uint64")
        }
    }

    /// The floating-point attribute `name`.
    public func double(_ name: String) throws -> Double {
        switch try required(name) {
        case .double(let number): return number
        case let other: throw mismatch(name, other, "float64")
        }
    }

    private func required(_ name: String) throws -> HDF5AttributeValue {
        guard let value = try value(of: name) else { throw HDF5Error.missingObject(path: path(name)) }
        return value
    }

    private func mismatch(_ name: String, _ stored: HDF5AttributeValue, _ requested: String) -> HDF5Error {
        .attributeTypeMismatch(path: path(name), stored: stored.kindName, requested: requested)
    }
}
