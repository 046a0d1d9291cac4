import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one command to completion or to its deadline, in a process group of its own.
///
/// Why `posix_spawn` and not `Foundation.Process` or swift-subprocess: the call sites are synchronous worker
/// threads (dataset shards, inference targets), and a timeout must kill the *whole* tree the command started (a
/// shell's children, a Python pool), which needs the child in its own process group so one `killpg` reaches all of
/// them. `Foundation.Process` on Linux does not expose the process group; swift-subprocess does, but is an async
/// API and a new dependency. `posix_spawn` with `POSIX_SPAWN_SETPGROUP` is a few documented lines.
///
/// Standard input is `/dev/null`; standard output and error go to files (no pipe can fill and block the child).
/// The child starts with an empty signal mask and default SIGINT/SIGTERM/SIGPIPE/SIGHUP handling; being in its own
/// group, a Ctrl-C at the terminal reaches the parent (which finishes the calls in progress), not the child.
///
/// Once the command's leader exits (or the deadline passes), the group is sent SIGKILL before the leader is
/// reaped, so stragglers it left behind die too and the group id cannot have been reused. A process that leaves
/// the group (`setsid`) escapes this; the contract asks simulators not to.
enum ChildProcess {
    enum Termination: Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// Killed (with its group) after `timeout` seconds.
        case timedOut(Double)
    }

    /// Starts `arguments` (the first is looked up in `PATH` unless it contains a `/`) in `directory` and waits.
    ///
    /// - Throws: ``StartFailure`` when the command cannot be started (not found, not executable, no directory).
    static func run(_ arguments: [String], directory: String, environment: [String: String],
                    standardOutput: String, standardError: String, timeout: Double) throws -> Termination {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard let addChangeDirectory = Self.addChangeDirectory else {
            throw StartFailure(reason: "this C library has no posix_spawn_file_actions_addchdir_np (glibc 2.29 or later)")
        }
        _ = addChangeDirectory(&actions, directory)
        // Nothing but 0, 1 and 2 crosses into the child. An inherited descriptor would carry its open file
        // description, and with it any flock HDF5 holds on a file this process has open (a dataset shard, a
        // posterior file): a simulator still running, or hung until its timeout, would keep that lock and make
        // the next open of the file fail with EWOULDBLOCK. HDF5 opens its files without O_CLOEXEC.
        guard let addCloseFrom = Self.addCloseFrom else {
            throw StartFailure(reason: "this C library has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later)")
        }
        _ = addCloseFrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw StartFailure(reason: String(cString: strerror(status)) + " (in \(directory))")
        }

        // The leader's exit is awaited without reaping it (WNOWAIT), so its pid, and with it the group id, stays
        // reserved until the group has been killed.
        let exited = DispatchSemaphore(value: 0)
        let waiter = Thread {
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
            exited.signal()
        }
        waiter.start()
        var timedOut = false
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            killpg(pid, SIGKILL)
            _ = exited.wait(timeout: .now() + 10)  // the waiter sees the killed leader at once; never hang on it
        }
        killpg(pid, SIGKILL)
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        if timedOut { return .timedOut(timeout) }
        // The wait status layout (<bits/waitstatus.h>): the low 7 bits are the terminating signal, 0 for an exit
        // whose status is in bits 8-15.
        let signal = raw & 0x7f
        return signal == 0 ? .exited((raw >> 8) & 0xff) : .signalled(signal)
    }

    struct StartFailure: Error { var reason: String }

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift's Glibc module does not import: found by
    /// `dlsym` in the default namespace (glibc's `RTLD_DEFAULT` is the null handle).
    private typealias AddChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }
    private static let addChangeDirectory: AddChangeDirectory? = dlsym(nil, "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChangeDirectory.self) }

    /// The last `lines` lines (at most `bytes` bytes) of a text file; "" when it is missing or empty.
    static func tail(of path: String, lines: Int = 20, bytes: Int = 4096) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > UInt64(bytes) ? size - UInt64(bytes) : 0)
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines + 1)
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
