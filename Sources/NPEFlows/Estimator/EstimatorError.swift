/// Bad input to a ``NeuralPosteriorEstimator``, naming the argument, row and column.
public enum EstimatorError: Error, Equatable, CustomStringConvertible {
    /// An argument with the wrong number of columns (or a rank other than 2).
    case wrongWidth(argument: String, expected: Int, shape: [Int])
    /// Arguments whose row counts disagree.
    case rowCountMismatch(argument: String, expected: Int, got: Int)
    /// A NaN or infinity in an input.
    case nonFinite(argument: String, row: Int, column: Int)
    /// A non-positive noise level σ.
    case nonPositiveNoiseLevel(row: Int, column: Int, value: Float)
    /// A training θ outside its prior's support (the loss would be infinite).
    case thetaOutsideSupport(row: Int, column: Int, value: Float)
    /// σ given to an estimator without a noise-level input, or missing for one that has it.
    case noiseLevelMismatch(expected: Bool)
    /// A context matrix of the wrong width, or context given to (missing from) a model without (with) context inputs.
    case contextMismatch(expected: Int, got: Int)
    /// A context value outside its transform's domain (e.g. a non-positive value fed through `log`).
    case invalidContext(row: Int, column: Int, value: Float)
    /// An observation so far outside the training data that the network overflows Float on it (row `row`).
    case inputOverflow(row: Int)
    /// A bin marked missing for an estimator trained without masks (it has no mask input, so it cannot ignore the
    /// bin and would have to impute it).
    case maskUnsupported(row: Int, column: Int)
    /// An observed-mask entry other than 0 (missing) or 1 (observed).
    case invalidMask(row: Int, column: Int, value: Float)
    /// An architecture that does not describe a buildable network.
    case invalidArchitecture(String)
    /// A saved dictionary that lacks a standardisation tensor or has one of the wrong size.
    case invalidStandardization(String)

    public var description: String {
        switch self {
        case let .wrongWidth(argument, expected, shape):
            return "\(argument): expected a matrix with \(expected) columns, got shape \(shape)"
        case let .rowCountMismatch(argument, expected, got): return "\(argument): \(got) rows, expected \(expected)"
        case let .nonFinite(argument, row, column): return "\(argument): row \(row), column \(column) is NaN or infinite"
        case let .nonPositiveNoiseLevel(row, column, value): return "sigma: row \(row), column \(column) is \(value), must be > 0"
        case let .thetaOutsideSupport(row, column, value):
            return "theta: row \(row), column \(column) = \(value) lies outside the prior's support"
        case let .noiseLevelMismatch(expected):
            return expected ? "this estimator takes the noise level sigma as an input; none was given"
                : "this estimator has no noise-level input; sigma must be nil"
        case let .contextMismatch(expected, got):
            return "context: this estimator takes \(expected) context input(s) per row, got \(got)"
        case let .invalidContext(row, column, value):
            return "context: row \(row), column \(column) = \(value) is outside its transform's domain (log needs > 0)"
        case let .inputOverflow(row):
            return "x: row \(row) lies so far outside the training data that the network overflows on it"
        case let .maskUnsupported(row, column):
            return "observed: row \(row), bin \(column) is missing, but this estimator was trained without masks (no mask input)"
        case let .invalidMask(row, column, value):
            return "observed: row \(row), bin \(column) is \(value); must be 1 (observed) or 0 (missing)"
        case let .invalidArchitecture(why): return "invalid estimator architecture: \(why)"
        case let .invalidStandardization(why): return "invalid standardization: \(why)"
        }
    }
}
