import Foundation
import NPESimulators

extension ExternalSimulator {
    /// Runs the rows `range` of `batch` as one call: a private directory with IN.h5, the command with
    /// `IN.h5 OUT.h5` appended (in the YAML's directory, under the timeout), then OUT.h5 read back. The directory is
    /// removed afterwards, whatever happened.
    ///
    /// - Throws: ``ExternalSimulatorError/cannotStart(simulator:command:reason:)`` when the command cannot be
    ///   started; every other problem is a ``CallResult/failed(_:)``.
    func run(range: Range<Int>, of batch: SimulationBatch) throws -> CallResult {
        let rows = batch.rows[range]
        let first = rows.first!, last = rows.last!
        let width = batch.inputCount, m = outputCount
        func failure(_ reason: String, tail: String = "") -> ExternalCallFailure {
            ExternalCallFailure(simulator: name, firstRow: first, lastRow: last, reason: reason, standardErrorTail: tail)
        }
        let directory: URL
        do { directory = try Self.makeCallDirectory() } catch {
            return .failed(failure("cannot make a call directory (\(error))"))
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("IN.h5"), output = directory.appendingPathComponent("OUT.h5")
        let errors = directory.appendingPathComponent("stderr.txt").path
        do {
            try ExternalCallFiles.writeInput(
                to: input, inputs: batch.inputs[range.lowerBound * width ..< range.upperBound * width], inputCount: width,
                rows: rows, seed: Self.callSeed(runSeed: batch.seed, firstRow: first), outputCount: m)
        } catch {
            return .failed(failure("cannot write IN.h5 (\(error))"))
        }
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in contract.environment { environment[key] = value }
        let termination: ChildProcess.Termination
        do {
            termination = try ChildProcess.run(
                contract.command + [input.path, output.path], directory: contract.directory.path, environment: environment,
                standardOutput: directory.appendingPathComponent("stdout.txt").path, standardError: errors,
                timeout: contract.timeoutSeconds)
        } catch let error as ChildProcess.StartFailure {
            throw ExternalSimulatorError.cannotStart(
                simulator: name, command: contract.command.joined(separator: " "), reason: error.reason)
        }
        let tail = ChildProcess.tail(of: errors)
        switch termination {
        case let .timedOut(seconds):
            return .failed(failure("timed out after \(seconds) s (timeout_s); its process group was killed", tail: tail))
        case let .signalled(signal):
            return .failed(failure("killed by signal \(signal)", tail: tail))
        case let .exited(status) where status != 0:
            return .failed(failure("exited with status \(status)", tail: tail))
        case .exited:
            break
        }
        let values: [Double]
        do { values = try ExternalCallFiles.readOutput(from: output, rows: rows.count, outputs: m) } catch let error as ExternalCallFiles.Unusable {
            return .failed(failure(error.reason, tail: tail))
        }
        var failed: [Int: ExternalCallFailure] = [:]
        for offset in 0..<rows.count {
            if let bin = (0..<m).first(where: { !values[offset * m + $0].isFinite }) {
                var rowFailure = failure("OUT.h5 'x' row \(offset) holds \(values[offset * m + bin]) in bin \(bin): the simulator marked row \(rows[rows.startIndex + offset]) failed")
                rowFailure.firstRow = rows[rows.startIndex + offset]
                rowFailure.lastRow = rowFailure.firstRow
                failed[offset] = rowFailure
            }
        }
        return .outputs(values, failed: failed)
    }

    /// A fresh private directory under `$TMPDIR` (or /tmp) for one call.
    static func makeCallDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("exonpe-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        return url
    }
}

/// The run-wide count of rows run and failed, shared by every copy of one simulator value.
final class FailureLedger: @unchecked Sendable {
    private let lock = NSLock()
    private var rows = 0
    private var failed = 0
    private var firstReason: String?
    private var tripped: ExternalSimulatorError?
    private var limit = 1.0
    private var minimumRows = 1

    func record(rows count: Int, failed failures: Int, first: String?) {
        lock.withLock {
            rows += count
            failed += failures
            if firstReason == nil { firstReason = first }
        }
    }

    /// Trips the ledger when more than `limit` of at least `minimumRows` finished rows failed.
    func evaluate(limit: Double, minimumRows: Int) {
        lock.withLock {
            guard tripped == nil, rows >= minimumRows, Double(failed) > limit * Double(rows) else { return }
            tripped = .tooManyFailures(simulator: "", failed: failed, rows: rows, limit: limit, firstReason: firstReason ?? "?")
        }
    }

    /// Throws the tripped error, with the simulator's name.
    func check(simulator: String) throws {
        guard case let .tooManyFailures(_, failed, rows, limit, first)? = lock.withLock({ tripped }) else { return }
        throw ExternalSimulatorError.tooManyFailures(simulator: simulator, failed: failed, rows: rows, limit: limit, firstReason: first)
    }
}

/// At most `count` calls of one simulator at once in this process, whichever threads make them.
final class CallSlots: @unchecked Sendable {
    private let semaphore: DispatchSemaphore
    init(count: Int) { semaphore = DispatchSemaphore(value: count) }

    func holding<T>(_ body: () throws -> T) rethrows -> T {
        semaphore.wait()
        defer { semaphore.signal() }
        return try body()
    }
}
