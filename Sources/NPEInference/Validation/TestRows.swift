import NPEData
import NPETensor

/// The held-out rows a validation uses, gathered from dataset chunks: truths, (noisy) spectra, their σ and context.
struct TestRows {
    let dimension: Int, bins: Int, contextCount: Int
    /// Each row's index in the dataset (the key of its noise draw).
    var datasetRows: [Int] = []
    /// `[N, D]`, `[N, M]`, `[N, M]` (empty for noise-free validation), `[N, A]`.
    var theta: [Float] = []
    var x: [Float] = []
    var sigma: [Float] = []
    var context: [Float] = []

    init(dimension: Int, bins: Int, contextCount: Int) {
        self.dimension = dimension
        self.bins = bins
        self.contextCount = contextCount
    }

    var count: Int { datasetRows.count }

    /// Appends row `k` of a block read from the dataset.
    mutating func append(_ block: TrainingRows, _ k: Int) {
        datasetRows.append(block.rows.lowerBound + k)
        theta += block.theta[(k * dimension)..<((k + 1) * dimension)]
        x += block.x[(k * bins)..<((k + 1) * bins)]
        if let c = block.context, contextCount > 0 { context += c[(k * contextCount)..<((k + 1) * contextCount)] }
    }

    /// The network inputs of `range`: x and σ `[n, M]` (σ only when the model takes it), context `[n, A]` (nil when
    /// A = 0).
    func tensors(_ range: Range<Int>, withSigma: Bool) throws -> (x: Tensor, sigma: Tensor?, context: Tensor?) {
        let n = range.count
        let x = try Tensor(shape: [n, bins], scalars: Array(self.x[(range.lowerBound * bins)..<(range.upperBound * bins)]))
        let sigma = withSigma && !self.sigma.isEmpty
            ? try Tensor(shape: [n, bins], scalars: Array(self.sigma[(range.lowerBound * bins)..<(range.upperBound * bins)])) : nil
        let context = contextCount > 0
            ? try Tensor(shape: [n, contextCount],
                         scalars: Array(self.context[(range.lowerBound * contextCount)..<(range.upperBound * contextCount)])) : nil
        return (x, sigma, context)
    }

    /// Row r's σ (empty when noise-free) and context, as Double.
    func sigma(row r: Int) -> [Double] { sigma.isEmpty ? [] : sigma[(r * bins)..<((r + 1) * bins)].map(Double.init) }
    func context(row r: Int) -> [Double] { context.isEmpty ? [] : context[(r * contextCount)..<((r + 1) * contextCount)].map(Double.init) }
    func observed(row r: Int) -> [Double] { x[(r * bins)..<((r + 1) * bins)].map(Double.init) }
}
