/// A forward model x = f(inputs): the simulator the dataset builder, the mock catalogue, importance sampling and
/// sequential rounds run over parameter draws.
///
/// Inputs are addressed by name. The prior file declares every name in ``inputNames`` (either as an inferred
/// parameter theta or as an auxiliary context input such as planet mass), and callers map prior columns to
/// simulator inputs by name, so the order of a prior file never silently changes the physics.
///
/// The one entry point is a **batch**: inputs `[n, I]` → outputs `[n, M]` plus a per-row failure
/// (``simulate(_:)``). An out-of-process simulator can then be one call per batch; an in-process model conforms to
/// ``RowSimulator`` and keeps its zero-allocation row kernel, which the batch entry point loops over.
///
/// Conformers must be deterministic given the batch: the same inputs, rows and seed give the same outputs bit for
/// bit, whatever thread or process runs them. That is what makes a dataset row independent of the thread and rank
/// count. A stochastic simulator keys its randomness on (``SimulationBatch/seed``, ``SimulationBatch/rows``).
public protocol Simulator: Sendable {
    /// A stable identifier, recorded in dataset provenance (e.g. `"ariel-transmission"`).
    var name: String { get }
    /// The simulator's own version, recorded in provenance; bump it whenever outputs change.
    var version: String { get }
    /// The inputs each row holds, in order.
    var inputNames: [String] { get }
    /// M, the number of outputs per simulation.
    var outputCount: Int { get }
    /// The wavelength grid of the outputs, when they are a spectrum.
    var spectralGrid: SpectralGrid? { get }
    /// Settings that change the outputs, recorded in provenance (string values, JSON-friendly).
    var configuration: [String: String] { get }
    /// Whether the outputs are random given the inputs (noise inside the simulator, keyed on the batch's seed and
    /// rows). A stochastic simulator has no exact likelihood: importance sampling refuses it. Default: false.
    var isStochastic: Bool { get }
    /// Rows per ``simulate(_:)`` call the simulator runs best with (an out-of-process one: its batch times its
    /// concurrent calls); nil when it does not care. Default: nil.
    var preferredBatchRows: Int? { get }

    /// Runs the model on a batch of rows.
    ///
    /// - Returns: outputs `[n, M]` and the rows that failed, with why. Non-finite outputs in a row that did not
    ///   fail are not a failure here: callers count them as failed simulations themselves.
    /// - Throws: only for a batch that is malformed as a whole (``SimulatorError/wrongInputCount(expected:got:)``);
    ///   a row the model cannot run is a failure in the result, and the other rows go on.
    func simulate(_ batch: SimulationBatch) throws -> SimulationResult
}

/// A simulator with an in-process row kernel: the batch entry point loops over ``simulate(_:into:)``.
public protocol RowSimulator: Simulator {
    /// Runs the model on one input row.
    ///
    /// - Parameters:
    ///   - inputs: `inputNames.count` values, in the order of ``Simulator/inputNames``.
    ///   - output: `outputCount` values, overwritten.
    /// - Throws: ``SimulatorError`` when an input is outside the model's domain. Non-finite outputs are not an
    ///   error here: the caller counts and reports them.
    func simulate(_ inputs: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) throws
}

/// A spectral grid: bin centres and full bin widths, both in micrometres, in the order the outputs use.
public struct SpectralGrid: Sendable, Codable, Equatable {
    public var wavelengths: [Double]
    public var binWidths: [Double]
    public init(wavelengths: [Double], binWidths: [Double]) {
        precondition(wavelengths.count == binWidths.count, "one width per wavelength")
        self.wavelengths = wavelengths
        self.binWidths = binWidths
    }
}

/// Why a simulation could not run.
public enum SimulatorError: Error, Equatable, CustomStringConvertible {
    /// `input` had `value`, which the model cannot take (`reason` says why).
    case inputOutOfDomain(input: String, value: Double, reason: String)
    /// The row had `got` values where `expected` were needed.
    case wrongInputCount(expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .inputOutOfDomain(input, value, reason):
            return "simulator input '\(input)' = \(value) is out of domain: \(reason)"
        case let .wrongInputCount(expected, got):
            return "simulator expected \(expected) inputs, got \(got)"
        }
    }
}

extension Simulator {
    public var spectralGrid: SpectralGrid? { nil }
    public var configuration: [String: String] { [:] }
    public var isStochastic: Bool { false }
    public var preferredBatchRows: Int? { nil }

    /// Convenience for tests and one-off calls: runs one row from an array as a batch of one.
    ///
    /// - Throws: ``SimulatorError/wrongInputCount(expected:got:)``, or the row's own failure.
    public func simulate(_ inputs: [Double]) throws -> [Double] {
        guard inputs.count == inputNames.count else {
            throw SimulatorError.wrongInputCount(expected: inputNames.count, got: inputs.count)
        }
        let result = try simulate(SimulationBatch(inputs: inputs, inputCount: inputs.count, rows: [0], seed: 0))
        if let failure = result.failures[0] { throw failure }
        return result.outputs
    }
}

extension RowSimulator {
    /// Loops the row kernel over the batch; a row that throws is a failure with its error, and its outputs NaN.
    public func simulate(_ batch: SimulationBatch) throws -> SimulationResult {
        let width = inputNames.count, m = outputCount
        guard batch.inputCount == width else {
            throw SimulatorError.wrongInputCount(expected: width, got: batch.inputCount)
        }
        var outputs = [Double](repeating: 0, count: batch.count * m)
        var failures: [Int: any Error] = [:]
        batch.inputs.withUnsafeBufferPointer { inputs in
            outputs.withUnsafeMutableBufferPointer { all in
                for row in 0..<batch.count {
                    let input = UnsafeBufferPointer(rebasing: inputs[row * width ..< (row + 1) * width])
                    let output = UnsafeMutableBufferPointer(rebasing: all[row * m ..< (row + 1) * m])
                    do {
                        try simulate(input, into: output)
                    } catch {
                        failures[row] = error
                        for j in output.indices { output[j] = .nan }
                    }
                }
            }
        }
        return SimulationResult(outputs: outputs, outputCount: m, failures: failures)
    }

    /// Runs one row from an array through the row kernel, keeping its typed error.
    public func simulate(_ inputs: [Double]) throws -> [Double] {
        guard inputs.count == inputNames.count else {
            throw SimulatorError.wrongInputCount(expected: inputNames.count, got: inputs.count)
        }
        var output = [Double](repeating: 0, count: outputCount)
        try inputs.withUnsafeBufferPointer { i in
            try output.withUnsafeMutableBufferPointer { o in try simulate(i, into: o) }
        }
        return output
    }
}
