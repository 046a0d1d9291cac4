/// What can go wrong with a FlexARE model, each case naming the file, key or model at fault.
public enum FlexAREError: Error, Equatable, CustomStringConvertible {
    /// A registry entry that is not a usable FlexARE model (wrong kind, bad architecture, missing weights).
    case invalidModel(String)
    /// A dataset or option the run cannot use.
    case unusable(String)
    /// A loss that became NaN or infinite.
    case nonFiniteLoss(epoch: Int, step: Int, which: String, value: Double)
    /// A spectrum the model cannot process (length, missing bins where none are allowed).
    case invalidSpectrum(String)

    public var description: String {
        switch self {
        case let .invalidModel(reason): return "FlexARE model: \(reason)"
        case let .unusable(reason): return reason
        case let .nonFiniteLoss(epoch, step, which, value):
            return "the \(which) loss is \(value) at epoch \(epoch + 1), step \(step + 1); lower the learning rate"
        case let .invalidSpectrum(reason): return reason
        }
    }
}
