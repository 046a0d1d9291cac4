/// A problem found before training starts: each names the file or directory and says what to do.
public enum TrainingSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No dataset at the path (neither `DIR/dataset.h5` nor a file).
    case datasetMissing(path: String)
    /// The dataset opened but cannot train this model (no usable prior, too few rows, …).
    case datasetUnusable(path: String, reason: String)
    /// The registry directory cannot be created or written.
    case registryNotWritable(path: String, reason: String)
    /// The requested training noise cannot be built for this dataset.
    case noiseUnavailable(dataset: String, reason: String)
    /// The `mask_augmentation` section does not fit the dataset's grid.
    case maskUnavailable(dataset: String, reason: String)
    /// A checkpoint exists but `--resume` was not given (it would be overwritten).
    case checkpointExists(path: String)
    /// `--resume` was given but there is no checkpoint.
    case nothingToResume(path: String)
    /// The checkpoint directory cannot be created or used.
    case checkpointUnusable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .datasetMissing(path):
            return "\(path): no dataset here (expected DIR/dataset.h5 or a dataset file; build one with npe-build-dataset)"
        case let .datasetUnusable(path, reason): return "\(path): \(reason)"
        case let .registryNotWritable(path, reason): return "\(path): the registry is not writable (\(reason))"
        case let .noiseUnavailable(dataset, reason): return "\(dataset): training noise: \(reason)"
        case let .maskUnavailable(dataset, reason): return "\(dataset): mask_augmentation: \(reason)"
        case let .checkpointExists(path):
            return "\(path): a checkpoint of an earlier run exists; pass --resume to continue it, or delete it to start over"
        case let .nothingToResume(path): return "\(path): --resume was given, but there is no checkpoint to resume"
        case let .checkpointUnusable(path, reason): return "\(path): cannot use as the checkpoint directory (\(reason))"
        }
    }
}
