/// The element types NPEData stores, as read back from a file's datatype.
///
/// All are written little-endian (`H5T_IEEE_F32LE`, `H5T_IEEE_F64LE`, `H5T_STD_I64LE`,
/// `H5T_STD_U8LE`, `H5T_STD_U32LE`). Any other stored type is reported as `.other(description)` and cannot be read
/// through the typed API: reads never convert silently between types.
public enum HDF5ElementType: Hashable, Sendable, CustomStringConvertible {
    case float32
    case float64
    case int64
    case uint8
    /// Bit sets such as per-target health flags.
    case uint32
    /// Strings (variable- or fixed-length); read with ``HDF5Dataset/readStrings()``.
    case string
    /// A type NPEData does not read, e.g. `"int32"`.
    case other(String)

    /// Bytes per element, for the types NPEData writes.
    public var byteCount: Int? {
        switch self {
        case .float32: return 4
        case .float64: return 8
        case .int64: return 8
        case .uint8: return 1
        case .uint32: return 4
        case .string, .other: return nil
        }
    }

    public var description: String {
        switch self {
        case .float32: return "float32"
        case .float64: return "float64"
        case .int64: return "int64"
        case .uint8: return "uint8"
        case .uint32: return "uint32"
        case .string: return "string"
        case .other(let text): return text
        }
    }
}

/// A Swift scalar that maps one-to-one onto an ``HDF5ElementType``.
public protocol HDF5Element: Sendable {
    static var hdf5ElementType: HDF5ElementType { get }
    /// Zero, used to size read buffers.
    static var hdf5Zero: Self { get }
}

extension Float: HDF5Element {
    public static var hdf5ElementType: HDF5ElementType { .float32 }
    public static var hdf5Zero: Float { 0 }
}

extension Double: HDF5Element {
    public static var hdf5ElementType: HDF5ElementType { .float64 }
    public static var hdf5Zero: Double { 0 }
}

extension Int64: HDF5Element {
    public static var hdf5ElementType: HDF5ElementType { .int64 }
    public static var hdf5Zero: Int64 { 0 }
}

extension UInt8: HDF5Element {
    public static var hdf5ElementType: HDF5ElementType { .uint8 }
    public static var hdf5Zero: UInt8 { 0 }
}

extension UInt32: HDF5Element {
    public static var hdf5ElementType: HDF5ElementType { .uint32 }
    public static var hdf5Zero: UInt32 { 0 }
}
