import NPESupport
import NPEData
import NPESimulators
import NPETensor

/// Makes dataset rows: row i's parameter draw and simulation depend only on (seed, i).
///
/// The ``ParameterSource`` fills row i's parameters from (seed, i) (a prior maps the uniforms of
/// `RandomStream(seed: seed).child(i)` through its inverse CDFs); the simulator runs on the values named by its
/// ``Simulator/inputNames``, one ``SimulationBatch`` of at most ``simulationBatchRows`` rows per call. theta and
/// context are the prior's theta and context columns, stored as Float32, as is x. Whichever thread or rank makes
/// row i, and however rows are batched, its bytes are the same.
///
/// A row whose simulation failed (the batch reports it), or returned NaN or ±∞ (or overflows Float32), is **kept**
/// with the flag ``TrainingDatasetFormat/RowFlags/nonFiniteSimulation``: its x holds what the simulator produced
/// (NaN when it failed), so failures stay visible and countable in the file; training skips flagged rows.
public struct DatasetRowGenerator: Sendable {
    /// Where the parameters come from; its prior gives the theta and context columns, in file order.
    public let source: any ParameterSource
    /// The forward model run on each draw.
    public let simulator: any Simulator
    /// The generator seed: row i is keyed on (seed, i).
    public let seed: UInt64
    /// Rows per simulator call (the last call of a block may be shorter).
    public let simulationBatchRows: Int
    /// For each simulator input, its position in the prior's parameters.
    private let inputPositions: [Int]

    /// - Parameter simulationBatchRows: rows per simulator call (default: the simulator's
    ///   ``Simulator/preferredBatchRows``, else 1024); an in-process model is indifferent, an out-of-process one
    ///   pays its per-call cost once per batch.
    /// - Throws: ``PriorError`` naming the first simulator input the prior does not declare.
    public init(source: any ParameterSource, simulator: any Simulator, seed: UInt64, simulationBatchRows: Int? = nil) throws {
        self.source = source
        self.simulator = simulator
        self.seed = seed
        self.simulationBatchRows = max(1, simulationBatchRows ?? simulator.preferredBatchRows ?? 1024)
        inputPositions = try source.prior.parameterIndices(forInputs: simulator.inputNames, simulator: simulator.name)
    }

    /// The prior that describes the columns.
    public var prior: Prior { source.prior }

    /// D, A and M.
    public var thetaCount: Int { prior.thetaCount }
    public var contextCount: Int { prior.contextCount }
    public var outputCount: Int { simulator.outputCount }

    /// A block of generated rows plus what went wrong in it.
    public struct Block: Sendable {
        /// The rows, with a flags byte per row.
        public var rows: TrainingRows
        /// Rows flagged as failed, and the first simulator error message, if any simulation failed.
        public var failureCount: Int
        public var firstError: String?
    }

    /// Generates `rows` (row-major theta [k, D], x [k, M], context [k, A] or nil when A = 0, flags [k]).
    ///
    /// - Parameter progress: called after each simulator call with the number of rows of this block done so far.
    /// - Throws: the source's error when it cannot draw, or the simulator's error for a malformed batch.
    public func generate(rows: Range<Int>, progress: ((Int) -> Void)? = nil) throws -> Block {
        let k = rows.count
        let d = thetaCount, a = contextCount, m = outputCount
        let width = prior.parameters.count, inputWidth = inputPositions.count
        var values = [Double](repeating: 0, count: k * width)
        try values.withUnsafeMutableBufferPointer { try source.draw(rows: rows, seed: seed, into: $0) }
        var theta = [Float](repeating: 0, count: k * d)
        var x = [Float](repeating: 0, count: k * m)
        var context = [Float](repeating: 0, count: k * a)
        var flags = [UInt8](repeating: 0, count: k)
        for offset in 0..<k {
            let base = offset * width
            for (j, position) in prior.thetaIndices.enumerated() { theta[offset * d + j] = Float(values[base + position]) }
            for (j, position) in prior.contextIndices.enumerated() { context[offset * a + j] = Float(values[base + position]) }
        }
        var failures = 0
        var firstError: String?
        let failed = TrainingDatasetFormat.RowFlags.nonFiniteSimulation.rawValue
        var start = 0
        while start < k {
            let end = min(start + simulationBatchRows, k)
            var inputs = [Double](repeating: 0, count: (end - start) * inputWidth)
            for offset in start..<end {
                for (j, position) in inputPositions.enumerated() {
                    inputs[(offset - start) * inputWidth + j] = values[offset * width + position]
                }
            }
            let batchRows = Array(rows.lowerBound + start ..< rows.lowerBound + end)
            let result = try simulator.simulate(
                SimulationBatch(inputs: inputs, inputCount: inputWidth, rows: batchRows, seed: seed))
            for offset in start..<end {
                let local = offset - start
                var ok = true
                if let error = result.failures[local] {
                    ok = false
                    if firstError == nil { firstError = "row \(rows.lowerBound + offset): \(error)" }
                }
                for j in 0..<m {
                    let value = ok ? Float(result.outputs[local * m + j]) : .nan
                    x[offset * m + j] = value
                    if !value.isFinite { ok = false }
                }
                if !ok {
                    flags[offset] = failed
                    failures += 1
                }
            }
            start = end
            progress?(end)
        }
        return Block(
            rows: TrainingRows(rows: rows, theta: theta, x: x, context: a == 0 ? nil : context, flags: flags),
            failureCount: failures, firstError: firstError)
    }
    /// The dataset metadata for a plan: theta and context names and units from the prior, the simulator's grid
    /// (or the feature index 0…M−1 with width 1 when its output is not a spectrum), identity and noise from the
    /// plan.
    public func metadata(for plan: DatasetBuildPlan) -> TrainingDatasetMetadata {
        let grid = simulator.spectralGrid
        return TrainingDatasetMetadata(
            parameterNames: prior.thetaNames,
            parameterUnits: prior.thetaIndices.map { prior.parameters[$0].unit ?? "" },
            priorJSON: plan.priorJSON, contextNames: prior.contextNames,
            wavelength: grid?.wavelengths ?? (0..<outputCount).map(Double.init),
            binWidth: grid?.binWidths ?? Array(repeating: 1, count: outputCount),
            simulatorName: plan.simulatorName, simulatorVersion: plan.simulatorVersion,
            simulatorConfigurationJSON: plan.simulatorConfigurationJSON, noiseModelJSON: plan.noiseModelJSON,
            seed: plan.seed, createdAt: plan.creationDate)
    }
}
