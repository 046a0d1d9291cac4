/// Why training stopped without a result.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss became NaN or infinite; the last good checkpoint is kept.
    case nonFiniteLoss(epoch: Int, step: Int, value: Float)
    /// A checkpoint exists but belongs to another run (different options or dataset).
    case checkpointMismatch(path: String, reason: String)
    /// The checkpoint file could not be read or written.
    case checkpoint(path: String, reason: String)
    /// The dataset has no rows for training or validation.
    case emptySplit(String)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(epoch, step, value):
            return "training loss became \(value) at epoch \(epoch), step \(step); stopping. The last checkpoint is "
                + "intact. Try a lower learning rate, gradient clipping, or check the dataset for extreme values."
        case let .checkpointMismatch(path, reason): return "\(path): checkpoint is from another run: \(reason)"
        case let .checkpoint(path, reason): return "\(path): \(reason)"
        case let .emptySplit(what):
            return "no complete batch in the \(what) split (it has fewer usable rows than batch_size); lower batch_size "
                + "or validation_fraction, or add rows"
        }
    }
}
