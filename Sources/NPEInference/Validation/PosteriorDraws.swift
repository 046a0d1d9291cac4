/// S posterior samples for each of N observations, with their log densities, as batched sampling returns them.
public struct PosteriorDraws: Sendable {
    /// N, S, D.
    public let rows: Int
    public let count: Int
    public let dimension: Int
    /// `[N, S, D]`, row-major.
    public var theta: [Float]
    /// `[N, S]`: log q(θₛ | xₙ).
    public var logProbability: [Float]

    /// - Precondition: the arrays have N·S·D and N·S entries.
    public init(rows: Int, count: Int, dimension: Int, theta: [Float], logProbability: [Float]) {
        precondition(theta.count == rows * count * dimension && logProbability.count == rows * count, "[N, S, D] and [N, S]")
        self.rows = rows
        self.count = count
        self.dimension = dimension
        self.theta = theta
        self.logProbability = logProbability
    }

    /// Sample s of row n, parameter d.
    @inlinable public func value(row n: Int, sample s: Int, parameter d: Int) -> Double {
        Double(theta[(n * count + s) * dimension + d])
    }

    /// The S values of parameter d in row n.
    public func marginal(row n: Int, parameter d: Int) -> [Double] {
        (0..<count).map { value(row: n, sample: $0, parameter: d) }
    }

    /// The S samples of row n, each D values.
    public func samples(row n: Int) -> [[Double]] {
        (0..<count).map { s in (0..<dimension).map { value(row: n, sample: s, parameter: $0) } }
    }

    /// The S log densities of row n.
    public func logDensities(row n: Int) -> [Double] {
        logProbability[(n * count)..<((n + 1) * count)].map(Double.init)
    }
}
