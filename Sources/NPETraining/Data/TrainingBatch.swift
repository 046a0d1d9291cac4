import NPETensor

/// One worker's slice of a global batch: row-major θ, x and (optionally) context, with each row's index in the
/// dataset (so per-row random draws, such as augmentation noise, can be keyed on it).
public struct TrainingBatch: Sendable, Equatable {
    /// Dataset row index of each row.
    public var rows: [Int]
    /// `[count, D]`.
    public var theta: Tensor
    /// `[count, M]`.
    public var x: Tensor
    /// `[count, A]`, when the dataset has context inputs.
    public var context: Tensor?
    /// The size of the global batch this slice belongs to: a worker scales its summed loss by 1/globalCount so
    /// that the all-reduced gradient is the global mean whatever the number of workers.
    public var globalCount: Int

    public var count: Int { rows.count }

    public init(rows: [Int], theta: Tensor, x: Tensor, context: Tensor? = nil, globalCount: Int) {
        self.rows = rows
        self.theta = theta
        self.x = x
        self.context = context
        self.globalCount = globalCount
    }
}
