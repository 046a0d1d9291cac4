/// Everything that can go wrong in the HDF5 storage layer.
///
/// Every case names the place it happened: `path` is `"<file>:<object>"`, for example
/// `"datasets/run1/dataset.h5:/theta"`, so a message alone tells the user which file and which
/// dataset or attribute to look at. C failures also name the HDF5 (or POSIX) function that failed
/// and carry HDF5's own error-stack descriptions, from the API function down to the root cause.
public enum HDF5Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// An HDF5 C function returned a negative status.
    case callFailed(function: String, path: String, details: [String])
    /// A POSIX call made to publish a file atomically (`fsync`, `rename`, `open`, `unlink`) failed.
    case fileSystemCallFailed(function: String, path: String, errno: Int32)
    /// The group, dataset or attribute does not exist.
    case missingObject(path: String)
    /// The object was used after its file was committed or closed.
    case objectClosed(path: String)
    /// The stored element type is not the one asked for (no silent conversion).
    case elementTypeMismatch(path: String, stored: HDF5ElementType, requested: HDF5ElementType)
    /// The attribute holds another kind of value than the one asked for.
    case attributeTypeMismatch(path: String, stored: String, requested: String)
    /// A buffer's element count does not fit the dataset's row shape.
    case shapeMismatch(path: String, expected: String, actual: String)
    /// Rows outside `0..<rowCount` were requested.
    case rowRangeOutOfBounds(path: String, requested: Range<Int>, rowCount: Int)
    /// An argument the C library would reject or misinterpret (zero chunk sizes, writing a read-only file).
    case invalidArgument(path: String, reason: String)
    /// The file's content does not match the SHA-256 in its seal (``HDF5File``'s user block): it was damaged
    /// after it was written, and is refused before libhdf5 reads it.
    case sealMismatch(path: String, recorded: String, computed: String)

    public var description: String {
        switch self {
        case let .callFailed(function, path, details):
            let why = details.isEmpty ? "" : ": " + details.joined(separator: "; ")
            return "\(path): HDF5 call \(function) failed\(why)"
        case let .fileSystemCallFailed(function, path, code):
            return "\(path): \(function) failed: \(String(cString: strerror(code))) (errno \(code))"
        case let .missingObject(path):
            return "\(path): no such group, dataset or attribute"
        case let .objectClosed(path):
            return "\(path): used after its file was committed or closed"
        case let .elementTypeMismatch(path, stored, requested):
            return "\(path): stored element type is \(stored), but \(requested) was requested"
        case let .attributeTypeMismatch(path, stored, requested):
            return "\(path): attribute holds \(stored), but \(requested) was requested"
        case let .shapeMismatch(path, expected, actual):
            return "\(path): shape mismatch: expected \(expected), got \(actual)"
        case let .rowRangeOutOfBounds(path, requested, rowCount):
            return "\(path): rows \(requested.lowerBound)..<\(requested.upperBound) outside 0..<\(rowCount)"
        case let .invalidArgument(path, reason):
            return "\(path): \(reason)"
        case let .sealMismatch(path, recorded, computed):
            return "\(path): the file is damaged: its content hashes to \(computed.prefix(16))…, but its seal records "
                + "\(recorded.prefix(16))…; it is not read (restore or rebuild it)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
