#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX call failed: names the function, the path it was given and `errno`.
///
/// Each module maps this onto its own typed error (the registry's `RegistryError.systemCall`, the data layer's
/// `HDF5Error.fileSystemCallFailed`, …), so users still see which module failed, while the calls themselves, and
/// their EINTR handling, live once in ``SystemCalls``, the one place (with ``AtomicFile``) that builds this error.
public struct SystemCallError: Error, Equatable, CustomStringConvertible {
    public var function: String
    public var path: String
    public var errno: Int32

    /// `strerror(errno)`.
    public var reason: String { String(cString: strerror(errno)) }
    public var description: String { "\(path): \(function) failed: \(reason)" }
}
