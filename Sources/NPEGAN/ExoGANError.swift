/// Bad input to the ExoGAN baseline: every case names the row (or file) and field at fault.
public enum ExoGANError: Error, Equatable, CustomStringConvertible {
    /// The spectra have the wrong number of bins.
    case spectrumLength(expected: Int, got: Int)
    /// θ has the wrong number of columns, or the prior box the wrong number of parameters.
    case parameterCount(expected: String, got: Int)
    /// A prior bound is not finite or `low ≥ high`.
    case invalidPriorBounds(parameter: Int, low: Double, high: Double)
    /// The log₁₀ depth range of the normalisation strips is not finite or empty.
    case invalidDepthRange(low: Double, high: Double)
    /// A transit depth is not a positive finite number (the strips store log₁₀ depths).
    case invalidDepth(row: Int, bin: Int, value: Float)
    /// A θ value lies outside the prior box the images are normalised over.
    case parameterOutsidePrior(row: Int, parameter: Int, value: Float, low: Double, high: Double)
    /// A noise σ is not a positive finite number.
    case invalidSigma(row: Int, bin: Int, value: Float)
    /// A tensor does not have the shape the encoding or the networks need.
    case shape(what: String, expected: String, got: [Int])
    /// A model card is not of kind `exogan`, or its architecture or weights do not describe an ExoGAN model.
    case invalidModel(String)
    /// A training step produced a non-finite loss.
    case nonFiniteLoss(epoch: Int, step: Int, which: String, value: Double)
    /// An option is outside its valid range.
    case invalidOption(name: String, reason: String)

    public var description: String {
        switch self {
        case let .spectrumLength(expected, got): return "spectra must have \(expected) bins, got \(got)"
        case let .parameterCount(expected, got): return "expected \(expected) parameters, got \(got)"
        case let .invalidPriorBounds(parameter, low, high):
            return "parameter \(parameter): prior bounds [\(low), \(high)] must be finite with low < high"
        case let .invalidDepthRange(low, high): return "log10 depth range [\(low), \(high)] must be finite with low < high"
        case let .invalidDepth(row, bin, value): return "row \(row), bin \(bin): depth \(value) is not positive and finite"
        case let .parameterOutsidePrior(row, parameter, value, low, high):
            return "row \(row), parameter \(parameter): \(value) is outside the prior box [\(low), \(high)]"
        case let .invalidSigma(row, bin, value): return "row \(row), bin \(bin): sigma \(value) is not positive and finite"
        case let .shape(what, expected, got): return "\(what): expected shape \(expected), got \(got)"
        case let .invalidModel(why): return "not a usable ExoGAN model: \(why)"
        case let .nonFiniteLoss(epoch, step, which, value):
            return "epoch \(epoch), step \(step): the \(which) loss is \(value) (training diverged)"
        case let .invalidOption(name, reason): return "option \(name): \(reason)"
        }
    }
}
