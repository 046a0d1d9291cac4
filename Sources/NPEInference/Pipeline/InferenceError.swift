/// Why an inference run cannot start or go on. Per-target problems are never errors: they become flags.
public enum InferenceError: Error, Equatable, CustomStringConvertible {
    /// The catalogue does not fit the model (grid, context inputs, parameter set, noise levels).
    case incompatible(catalogue: String, model: String, reason: String)
    /// The model's kind is not one this tool can sample.
    case unsupportedModelKind(model: String, kind: String, supported: [String])
    /// Importance sampling needs the exact likelihood, which this model's training simulator cannot give.
    case likelihoodUnavailable(model: String, reason: String)
    /// `--resume` found shards of a run with other settings (the digests differ).
    case resumeMismatch(directory: String, expected: String, found: String)
    /// The output or its shard directory cannot be used.
    case output(path: String, reason: String)
    /// A setting is out of range (samples, batch size, threads).
    case invalidSetting(name: String, reason: String)
    /// The run was asked to stop; finished batches are kept for `--resume`.
    case stopped(directory: String, completedTargets: Int, totalTargets: Int)

    public var description: String {
        switch self {
        case let .incompatible(catalogue, model, reason):
            return "catalogue \(catalogue) does not fit model \(model): \(reason)"
        case let .unsupportedModelKind(model, kind, supported):
            return "model \(model) has kind '\(kind)'; npe-infer samples \(supported.joined(separator: ", "))"
        case let .likelihoodUnavailable(model, reason):
            return "importance sampling needs the exact likelihood of model \(model)'s simulator: \(reason)"
        case let .resumeMismatch(directory, expected, found):
            return "\(directory) holds shards of another run (digest \(found), this run is \(expected)): "
                + "resume with the same model, catalogue, samples, seed and importance-sampling setting, or delete it"
        case let .output(path, reason):
            return "\(path): \(reason)"
        case let .invalidSetting(name, reason):
            return "\(name): \(reason)"
        case let .stopped(directory, completed, total):
            return "stopped after \(completed) of \(total) targets; the finished batches are kept in \(directory): run again with --resume"
        }
    }
}
