import CHDF5
import Foundation

/// Process-wide HDF5 state: the one lock every C call runs under, library start-up, and the
/// translation of HDF5's error stack into ``HDF5Error``.
///
/// Why a lock even though Debian builds HDF5 thread-safe: an HDF5 failure is reported as a negative
/// status *plus* entries on an error stack, and our handles are closed from `deinit` on any thread.
/// Serialising the status check and the stack walk together keeps each error's details its own, and
/// the lock is cheap next to any real I/O. It is recursive because a `deinit` can run inside a
/// locked region (an array of handles released while a call is in progress).
enum HDF5Runtime {
    private static let lock = NSRecursiveLock()

    /// Runs once per process (Swift globals initialise exactly once, thread-safely): opens the
    /// library and registers the in-process LZ4 filter, so no HDF5_PLUGIN_PATH is needed.
    private static let started: Void = {
        _ = H5open()
        LZ4Filter.register()
    }()

    /// Runs `body` holding the HDF5 lock, with automatic error printing off and a clean error stack.
    ///
    /// HDF5 keeps the "print errors to stderr" setting per thread, so it is switched off on every
    /// entry rather than once: whichever thread calls us, failures become typed errors, not noise.
    @discardableResult
    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        _ = started
        lock.lock()
        defer { lock.unlock() }
        _ = H5Eset_auto2(npe_H5E_DEFAULT(), nil, nil)
        _ = H5Eclear2(npe_H5E_DEFAULT())
        return try body()
    }

    /// Collects HDF5's error stack (the API function first, down to the root cause last) as "function: description" lines and clears it.
    static func drainErrorStack() -> [String] {
        final class Sink { var lines: [String] = [] }
        let sink = Sink()
        let walker: H5E_walk2_t = { _, entry, context in
            guard let entry, let context else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
            let function = entry.pointee.func_name.map { String(cString: $0) } ?? "?"
            let text = entry.pointee.desc.map { String(cString: $0) } ?? ""
            sink.lines.append("\(function): \(text)")
            return 0
        }
        withExtendedLifetime(sink) {
            _ = H5Ewalk2(npe_H5E_DEFAULT(), H5E_WALK_DOWNWARD, walker, Unmanaged.passUnretained(sink).toOpaque())
        }
        _ = H5Eclear2(npe_H5E_DEFAULT())
        return sink.lines
    }

    /// Turns a negative `herr_t` into ``HDF5Error/callFailed(function:path:details:)``.
    @discardableResult
    static func check(_ status: herr_t, _ function: String, _ path: String) throws -> herr_t {
        if status < 0 { throw HDF5Error.callFailed(function: function, path: path, details: drainErrorStack()) }
        return status
    }

    /// Turns a negative identifier into an error; returns the valid identifier.
    static func checkID(_ id: hid_t, _ function: String, _ path: String) throws -> hid_t {
        if id < 0 { throw HDF5Error.callFailed(function: function, path: path, details: drainErrorStack()) }
        return id
    }

    /// `htri_t` results: negative is an error, zero false, positive true.
    static func checkBool(_ value: htri_t, _ function: String, _ path: String) throws -> Bool {
        if value < 0 { throw HDF5Error.callFailed(function: function, path: path, details: drainErrorStack()) }
        return value > 0
    }

    /// Signed sizes (`ssize_t`, `int`) where negative means failure.
    static func checkCount<I: BinaryInteger>(_ value: I, _ function: String, _ path: String) throws -> Int {
        if value < 0 { throw HDF5Error.callFailed(function: function, path: path, details: drainErrorStack()) }
        return Int(value)
    }
}
