import Foundation
import NPESimulators
import NPESupport

/// A user's own forward model run as a command, one process per call of at most `batch` rows
/// (`docs/external-simulators.md`): the `exec:FILE.yaml` simulator.
///
/// A batch handed to ``simulate(_:)`` is cut into calls at offsets `0, batch, 2·batch, …`; up to `workers` calls
/// run at once, and every thread of the process shares that limit (``CallSlots``), so `workers` is the number of
/// concurrent simulator processes whatever the thread count. Hosts that ask for ``preferredBatchRows`` rows
/// (batch × workers) per call keep every worker busy and call boundaries at multiples of `batch` from the start of
/// each block, so the worker count never moves them.
///
/// Call k's seed (IN.h5's `seed`) is the first word of the Philox stream keyed on (run seed, first row of the
/// call): it depends on the rows, never on the thread, worker or rank that ran the call.
///
/// Failures: a timeout, a non-zero exit, a killing signal, a missing, malformed or short OUT.h5 fail every row
/// of the call with an ``ExternalCallFailure`` that carries the stderr tail; a NaN (or infinite) row of OUT.h5
/// fails that row. After each call the run-wide failed fraction is checked against `max_failure_fraction`
/// (once at least `batch × workers` rows have finished, so one early bad call does not decide); above it, this
/// and every later ``simulate(_:)`` throws ``ExternalSimulatorError/tooManyFailures(simulator:failed:rows:limit:firstReason:)``.
public struct ExternalSimulator: Simulator {
    /// The description it runs.
    public let contract: ExternalSimulatorDescription
    /// SHA-256 of every file named in the command that exists (argument as written → digest).
    public let fileDigests: [String: String]
    /// Called once per failed call (default: one line on standard error), so failures are visible as they happen.
    public var reportFailure: @Sendable (ExternalCallFailure) -> Void
    let ledger = FailureLedger()
    let slots: CallSlots

    /// The Philox stream id of per-call seeds (ASCII "exec").
    static let seedStream: UInt64 = 0x6578_6563

    /// Loads a description and digests the files its command names.
    ///
    /// - Throws: ``ExternalSimulatorError/invalidDescription(file:key:line:reason:)``.
    public init(contentsOf url: URL) throws {
        try self.init(contract: try ExternalSimulatorDescription(contentsOf: url))
    }

    public init(contract: ExternalSimulatorDescription) throws {
        self.contract = contract
        fileDigests = try Self.digests(of: contract)
        slots = CallSlots(count: contract.workers)
        reportFailure = { failure in
            FileHandle.standardError.write(Data("warning: \(failure)\n".utf8))
        }
    }

    public var name: String { "exec:" + contract.name }
    public var version: String { contract.version }
    public var inputNames: [String] { contract.inputs }
    public var outputCount: Int { contract.outputCount }
    public var spectralGrid: SpectralGrid? { contract.spectralGrid }
    public var isStochastic: Bool { contract.stochastic }
    public var preferredBatchRows: Int? { contract.batch * contract.workers }

    public func simulate(_ batch: SimulationBatch) throws -> SimulationResult {
        guard batch.inputCount == inputNames.count else {
            throw SimulatorError.wrongInputCount(expected: inputNames.count, got: batch.inputCount)
        }
        try ledger.check(simulator: name)
        let m = outputCount, size = contract.batch
        let calls = stride(from: 0, to: batch.count, by: size).map { $0 ..< min($0 + size, batch.count) }
        var outputs = [Double](repeating: .nan, count: batch.count * m)
        var failures: [Int: any Error] = [:]
        var startFailure: Error?
        let lock = NSLock()
        let lanes = min(contract.workers, calls.count)
        let finished = DispatchGroup()
        var next = 0
        for _ in 0..<lanes {
            finished.enter()
            let thread = Thread {
                while true {
                    let index: Int? = lock.withLock {
                        guard startFailure == nil, next < calls.count else { return nil }
                        defer { next += 1 }
                        return next
                    }
                    guard let index else { break }
                    let range = calls[index]
                    let outcome = Result { try slots.holding { try run(range: range, of: batch) } }
                    lock.withLock {
                        switch outcome {
                        case let .success(.outputs(values, failed)):
                            outputs.replaceSubrange(range.lowerBound * m ..< range.upperBound * m, with: values)
                            for (offset, failure) in failed { failures[range.lowerBound + offset] = failure }
                        case let .success(.failed(failure)):
                            for row in range { failures[row] = failure }
                        case let .failure(error):
                            if startFailure == nil { startFailure = error }
                        }
                    }
                    if case let .success(result) = outcome {
                        if case let .failed(failure) = result { reportFailure(failure) }
                        ledger.record(rows: range.count, failed: result.failedRows(range.count), first: result.firstReason)
                        ledger.evaluate(limit: contract.maxFailureFraction, minimumRows: contract.batch * contract.workers)
                    }
                }
                finished.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        finished.wait()
        if let startFailure { throw startFailure }
        try ledger.check(simulator: name)
        return SimulationResult(outputs: outputs, outputCount: m, failures: failures)
    }

    /// What one call produced.
    enum CallResult {
        /// The call ran; some rows may have failed (NaN rows).
        case outputs([Double], failed: [Int: ExternalCallFailure])
        /// The whole call failed.
        case failed(ExternalCallFailure)

        func failedRows(_ count: Int) -> Int {
            switch self {
            case let .outputs(_, failed): return failed.count
            case .failed: return count
            }
        }

        var firstReason: String? {
            switch self {
            case let .outputs(_, failed): return failed.min { $0.key < $1.key }.map { "\($0.value)" }
            case let .failed(failure): return "\(failure)"
            }
        }
    }

    /// The seed of the call whose first global row is `row` (IN.h5's `seed`).
    public static func callSeed(runSeed: UInt64, firstRow: Int) -> UInt64 {
        var generator = PhiloxGenerator(stream: RandomStream(seed: runSeed, stream: seedStream).child(UInt64(firstRow)))
        return generator.next()
    }
}
