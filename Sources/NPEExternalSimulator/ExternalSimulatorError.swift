import Foundation

/// Why an external simulator cannot be used, or why a run that uses it stopped.
///
/// A failed *call* is not one of these: its rows fail with an ``ExternalCallFailure`` in the
/// `SimulationResult`, and the run goes on (see `docs/external-simulators.md`, "Failure semantics").
public enum ExternalSimulatorError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The YAML description is unreadable or breaks the contract: `key` (dotted, empty for the whole file) at
    /// `line` (1-based, when known) of `file`.
    case invalidDescription(file: String, key: String, line: Int?, reason: String)
    /// The command could not be started at all (not found, not executable, no such directory): every call would
    /// fail the same way, so the run stops at once.
    case cannotStart(simulator: String, command: String, reason: String)
    /// More than `limit` of the rows run so far failed: the run stops (`max_failure_fraction`).
    case tooManyFailures(simulator: String, failed: Int, rows: Int, limit: Double, firstReason: String)
    /// A recorded external simulator (a dataset's or a model card's) cannot be rebuilt as it was.
    case notReproducible(simulator: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidDescription(file, key, line, reason):
            let place = line.map { "\(file):\($0)" } ?? file
            return key.isEmpty ? "\(place): \(reason)" : "\(place): '\(key)': \(reason)"
        case let .cannotStart(simulator, command, reason):
            return "\(simulator): cannot start \(command): \(reason)"
        case let .tooManyFailures(simulator, failed, rows, limit, firstReason):
            let percent = rows > 0 ? 100 * Double(failed) / Double(rows) : 0
            return "\(simulator): \(failed) of \(rows) rows failed (\(String(format: "%.1f", percent))%), more than "
                + "max_failure_fraction \(limit); stopping. First failure: \(firstReason)"
        case let .notReproducible(simulator, reason):
            return "\(simulator) cannot be rebuilt as recorded: \(reason)"
        }
    }
}

/// Why the rows of one call failed: the call (its global rows), what went wrong, and the tail of the command's
/// standard error. It is the per-row error of the `SimulationResult`, so builders flag the rows and keep going.
public struct ExternalCallFailure: Error, Equatable, CustomStringConvertible, Sendable {
    /// The simulator's recorded name (`exec:NAME`).
    public var simulator: String
    /// The first and last global row of the call.
    public var firstRow: Int
    public var lastRow: Int
    /// What went wrong: a timeout, an exit status, a missing or short OUT.h5, a NaN row.
    public var reason: String
    /// The last lines of the command's standard error ("" when it wrote none).
    public var standardErrorTail: String

    public init(simulator: String, firstRow: Int, lastRow: Int, reason: String, standardErrorTail: String) {
        self.simulator = simulator
        self.firstRow = firstRow
        self.lastRow = lastRow
        self.reason = reason
        self.standardErrorTail = standardErrorTail
    }

    public var description: String {
        let tail = standardErrorTail.isEmpty ? "" : "; stderr tail:\n" + standardErrorTail
        return "\(simulator) call for rows \(firstRow)...\(lastRow): \(reason)\(tail)"
    }
}
