import Foundation

/// Whether ops record themselves for backpropagation. On by default; ``withoutGradient(_:)`` turns it off for a
/// scope (inference, validation, sampling), so no graph is built and intermediate values are freed at once.
///
/// The flag is task-local (and thread-local outside tasks), so a data-parallel worker that evaluates a
/// validation batch does not switch off recording for the others.
public enum GradientMode {
    @TaskLocal static var recording = true

    /// Whether ops currently record.
    public static var isEnabled: Bool { recording }
}

/// Runs `body` with gradient recording off.
public func withoutGradient<T>(_ body: () throws -> T) rethrows -> T {
    try GradientMode.$recording.withValue(false, operation: body)
}

/// Debugging aid: when on, every recorded op checks its output for NaN and infinity and throws
/// ``TensorError/nonFinite(op:shape:)`` naming the op. Off by default (it costs a pass over each output). Turn it
/// on process-wide with `EXONPE_CHECK_NUMERICS=1` (or ``isEnabledGlobally``), or for one scope with
/// ``withChecks(_:_:)``, which is task-local and so does not leak into concurrent work.
public enum NumericChecks {
    nonisolated(unsafe) public static var isEnabledGlobally: Bool =
        ProcessInfo.processInfo.environment["EXONPE_CHECK_NUMERICS"] == "1"
    @TaskLocal static var scoped: Bool?

    /// Whether checks are on here.
    public static var isEnabled: Bool { scoped ?? isEnabledGlobally }

    /// Runs `body` with checks switched on (or off).
    public static func withChecks<T>(_ enabled: Bool = true, _ body: () throws -> T) rethrows -> T {
        try $scoped.withValue(enabled, operation: body)
    }
}
