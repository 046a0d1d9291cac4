/// A forward model x = f(inputs): a noise-free simulator that the dataset builder runs over prior draws.
///
/// Inputs are addressed by name. The prior file declares every name in ``inputNames`` (either as an inferred
/// parameter theta or as an auxiliary context input such as planet mass), and the builder maps prior columns to
/// simulator inputs by name, so the order of a prior file never silently changes the physics.
///
/// Conformers must be deterministic: the same inputs give the same outputs bit for bit, whatever thread runs them.
/// That is what makes a dataset row independent of the thread and rank count.
public protocol Simulator: Sendable {
    /// A stable identifier, recorded in dataset provenance (e.g. `"ariel-transmission"`).
    var name: String { get }
    /// The simulator's own version, recorded in provenance; bump it whenever outputs change.
    var version: String { get }
    /// The inputs ``simulate(_:into:)`` reads, in order.
    var inputNames: [String] { get }
    /// M, the number of outputs per simulation.
    var outputCount: Int { get }
    /// The wavelength grid of the outputs, when they are a spectrum.
    var spectralGrid: SpectralGrid? { get }
    /// Settings that change the outputs, recorded in provenance (string values, JSON-friendly).
    var configuration: [String: String] { get }

    /// Runs the model on one input row.
    ///
    /// - Parameters:
    ///   - inputs: `inputNames.count` values, in the order of ``inputNames``.
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

    /// Convenience for tests and one-off calls: runs one row from an array.
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
