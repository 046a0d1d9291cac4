import NPEData
import NPESimulators
import NPETensor

/// Makes dataset rows: row i's prior draw and simulation depend only on (seed, i).
///
/// Row i takes ``Prior/uniformCount`` Double uniforms, draws `0, 1, …` of the stream
/// `RandomStream(seed: seed).child(i)`, maps them through the prior's inverse CDFs, and runs the simulator on the
/// values named by its ``Simulator/inputNames``. theta and context are the prior's theta and context columns, stored as
/// Float32, as is x. Whichever thread or rank makes row i, its bytes are the same.
///
/// A row whose simulation returns NaN or ±∞ (or overflows Float32), or throws, is **kept** with the flag
/// ``TrainingDatasetFormat/RowFlags/nonFiniteSimulation``: its x holds what the simulator produced (NaN when it
/// threw), so failures stay visible and countable in the file; training skips flagged rows.
public struct DatasetRowGenerator: Sendable {
    /// The prior the rows are drawn from (theta and context columns in its file order).
    public let prior: Prior
    /// The forward model run on each draw.
    public let simulator: any Simulator
    /// The generator seed: row i uses `RandomStream(seed: seed).child(i)`.
    public let seed: UInt64
    /// For each simulator input, its position in the prior's parameters.
    private let inputPositions: [Int]

    /// - Throws: ``PriorError`` naming the first simulator input the prior does not declare.
    public init(prior: Prior, simulator: any Simulator, seed: UInt64) throws {
        self.prior = prior
        self.simulator = simulator
        self.seed = seed
        inputPositions = try prior.parameterIndices(forInputs: simulator.inputNames, simulator: simulator.name)
    }

    /// D, A and M.
    public var thetaCount: Int { prior.thetaCount }
    public var contextCount: Int { prior.contextCount }
    public var outputCount: Int { simulator.outputCount }

    /// A block of generated rows plus what went wrong in it.
    public struct Block: Sendable {
        /// The rows, with a flags byte per row.
        public var rows: TrainingRows
        /// Rows flagged as failed, and the first simulator error message, if any simulation threw.
        public var failureCount: Int
        public var firstError: String?
    }

    /// Generates `rows` (row-major theta [k, D], x [k, M], context [k, A] or nil when A = 0, flags [k]).
    public func generate(rows: Range<Int>) -> Block {
        let k = rows.count
        let d = thetaCount
        let a = contextCount
        let m = outputCount
        var theta = [Float](repeating: 0, count: k * d)
        var x = [Float](repeating: 0, count: k * m)
        var context = [Float](repeating: 0, count: k * a)
        var flags = [UInt8](repeating: 0, count: k)
        var uniforms = [Double](repeating: 0, count: prior.uniformCount)
        var values = [Double](repeating: 0, count: prior.parameters.count)
        var inputs = [Double](repeating: 0, count: inputPositions.count)
        var output = [Double](repeating: 0, count: m)
        var failures = 0
        var firstError: String?
        let failed = TrainingDatasetFormat.RowFlags.nonFiniteSimulation.rawValue
        for (offset, row) in rows.enumerated() {
            let stream = RandomStream(seed: seed).child(UInt64(row))
            for j in uniforms.indices { uniforms[j] = stream.uniformDouble(UInt64(j)) }
            uniforms.withUnsafeBufferPointer { u in
                values.withUnsafeMutableBufferPointer { v in prior.draw(uniforms: u, into: v) }
            }
            for (j, position) in prior.thetaIndices.enumerated() { theta[offset * d + j] = Float(values[position]) }
            for (j, position) in prior.contextIndices.enumerated() { context[offset * a + j] = Float(values[position]) }
            for (j, position) in inputPositions.enumerated() { inputs[j] = values[position] }
            var ok = true
            do {
                try inputs.withUnsafeBufferPointer { i in
                    try output.withUnsafeMutableBufferPointer { o in try simulator.simulate(i, into: o) }
                }
            } catch {
                ok = false
                if firstError == nil { firstError = "row \(row): \(error)" }
                for j in output.indices { output[j] = .nan }
            }
            for j in 0..<m {
                let value = Float(output[j])
                x[offset * m + j] = value
                if !value.isFinite { ok = false }
            }
            if !ok {
                flags[offset] = failed
                failures += 1
            }
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
