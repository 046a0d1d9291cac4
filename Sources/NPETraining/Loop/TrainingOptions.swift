/// The learning-rate schedule.
public enum ScheduleKind: Codable, Sendable, Equatable {
    case constant
    /// Cosine annealing to `minimum` over the whole run (in steps).
    case cosine(minimum: Float)
    /// Reduce-on-plateau of the validation loss.
    case plateau(factor: Float, patience: Int, minimum: Float)
}

/// Typed training options (no string-keyed bags): what `npe-train`'s config file and flags fill in.
public struct TrainingOptions: Codable, Sendable, Equatable {
    public var epochs: Int = 100
    /// The global batch size, split across workers.
    public var batchSize: Int = 256
    public var learningRate: Float = 1e-3
    /// AdamW's decoupled weight decay.
    public var weightDecay: Float = 0
    /// Global-norm clipping threshold; nil disables clipping.
    public var gradientClipNorm: Float? = 5
    /// Epochs without validation improvement before stopping early.
    public var patience: Int = 20
    public var validationFraction: Double = 0.1
    /// Dataset chunks pooled per shuffle.
    public var shuffleBufferChunks: Int = 8
    public var schedule: ScheduleKind = .constant
    /// Rows with any x bin farther than this many robust standard deviations from its median are not trained on
    /// (see ``OutlierFilter``); nil keeps every row.
    public var outlierLimit: Float? = 20
    public var seed: UInt64 = 0

    public init() {}
}
