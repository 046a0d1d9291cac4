/// The rows one simulator call runs: inputs `[n, I]` row-major, in ``Simulator/inputNames`` order, with each
/// row's global index and the run's seed.
///
/// `rows[k]` is the index that identifies row k outside the batch (the dataset row, the sample index of a target),
/// so a stochastic simulator can key row k's randomness on `(seed, rows[k])` and give the same row whatever
/// batching, thread or worker count produced it.
public struct SimulationBatch: Sendable, Equatable {
    /// `[n, I]`, row-major.
    public var inputs: [Double]
    /// I, the values per row.
    public var inputCount: Int
    /// n global row indices.
    public var rows: [Int]
    /// The run's seed.
    public var seed: UInt64

    /// - Precondition: `inputs.count == rows.count * inputCount`.
    public init(inputs: [Double], inputCount: Int, rows: [Int], seed: UInt64) {
        precondition(inputs.count == rows.count * inputCount, "one row of inputs per row index")
        self.inputs = inputs
        self.inputCount = inputCount
        self.rows = rows
        self.seed = seed
    }

    /// n, the number of rows.
    public var count: Int { rows.count }
}

/// What a simulator call produced: outputs `[n, M]` row-major, and the rows that failed with why.
public struct SimulationResult: @unchecked Sendable {
    /// `[n, M]`; a failed row holds NaN.
    public var outputs: [Double]
    /// M, the values per row.
    public var outputCount: Int
    /// Failed rows (offset in the batch) and their errors; a row not listed here ran (its outputs may still be
    /// non-finite, which callers count as failed simulations).
    public var failures: [Int: any Error]

    public init(outputs: [Double], outputCount: Int, failures: [Int: any Error] = [:]) {
        self.outputs = outputs
        self.outputCount = outputCount
        self.failures = failures
    }

    /// Row k's outputs.
    public func output(_ k: Int) -> ArraySlice<Double> { outputs[k * outputCount ..< (k + 1) * outputCount] }
}
