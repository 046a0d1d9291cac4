import Foundation
import NPEData
import NPESimulators
import NPESupport
import Testing

@testable import NPEDatasets

/// A simulator with no row kernel: it only answers whole batches (as an out-of-process one does), counts its calls,
/// fails every row whose `a` is negative, and keys a "noise" output on (seed, row) as a stochastic simulator must.
final class BatchOnlySimulator: Simulator, @unchecked Sendable {
    var name: String { "batch-only" }
    var version: String { "1" }
    var inputNames: [String] { ["a", "b"] }
    var outputCount: Int { 2 }
    private let lock = NSLock()
    private(set) var calls = 0

    struct Refused: Error, CustomStringConvertible { var description: String { "a < 0 is refused" } }

    func simulate(_ batch: SimulationBatch) throws -> SimulationResult {
        lock.withLock { calls += 1 }
        var outputs = [Double](repeating: .nan, count: batch.count * 2)
        var failures: [Int: any Error] = [:]
        for k in 0..<batch.count {
            let a = batch.inputs[2 * k], b = batch.inputs[2 * k + 1]
            if a < 0 { failures[k] = Refused(); continue }
            outputs[2 * k] = a * b
            outputs[2 * k + 1] = RandomStream(seed: batch.seed).child(UInt64(batch.rows[k])).normalDouble(0)
        }
        return SimulationResult(outputs: outputs, outputCount: 2, failures: failures)
    }
}

@Suite("The simulator, parameter-source and catalogue seams")
struct SimulatorSeamTests {
    @Test("rows do not depend on how they are batched, and one call is made per batch")
    func batchingDoesNotChangeRows() throws {
        let prior = FlakySimulator.prior
        let blocks = try [1, 7, 1024].map { size in
            try DatasetRowGenerator(source: prior, simulator: FlakySimulator(), seed: 5, simulationBatchRows: size)
                .generate(rows: 100..<160)
        }
        // Bit patterns, because failed rows hold NaN, which is never == itself.
        func bits(_ rows: TrainingRows) -> [[UInt32]] {
            [rows.theta.map(\.bitPattern), rows.x.map(\.bitPattern), (rows.context ?? []).map(\.bitPattern),
             (rows.flags ?? []).map(UInt32.init)]
        }
        for block in blocks.dropFirst() {
            #expect(bits(block.rows) == bits(blocks[0].rows))
            #expect(block.failureCount == blocks[0].failureCount && block.firstError == blocks[0].firstError)
        }
        let simulator = BatchOnlySimulator()
        let generator = try DatasetRowGenerator(source: prior, simulator: simulator, seed: 5, simulationBatchRows: 16)
        var reported: [Int] = []
        let block = try generator.generate(rows: 0..<40, progress: { reported.append($0) })
        #expect(simulator.calls == 3, "40 rows in batches of 16 are 3 calls")
        #expect(reported == [16, 32, 40])
        // Failed rows are flagged with the simulator's reason, and their x is NaN.
        let a = (0..<40).map { block.rows.theta[$0 * 2] }
        let flags = try #require(block.rows.flags)
        let flagged = (0..<40).filter { flags[$0] != 0 }
        #expect(flagged == (0..<40).filter { a[$0] < 0 })
        #expect(block.firstError?.hasSuffix("a < 0 is refused") == true)
        #expect(flagged.allSatisfy { block.rows.x[$0 * 2].isNaN })
        // The stochastic output is keyed on (seed, row): a lone row simulated apart gives the same value.
        let row = try #require((0..<40).first { a[$0] >= 0 })
        let alone = try DatasetRowGenerator(source: prior, simulator: BatchOnlySimulator(), seed: 5).generate(rows: row..<(row + 1))
        #expect(alone.rows.x[1] == block.rows.x[row * 2 + 1])
    }

    @Test("a prior as a parameter source draws what the inverse-CDF row draw gives")
    func priorDrawsByRow() throws {
        let prior = FlakySimulator.prior
        var values = [Double](repeating: 0, count: 3 * prior.parameters.count)
        values.withUnsafeMutableBufferPointer { prior.draw(rows: 10..<13, seed: 9, into: $0) }
        for (offset, row) in (10..<13).enumerated() {
            let stream = RandomStream(seed: 9).child(UInt64(row))
            let expected = prior.draw(uniforms: (0..<prior.uniformCount).map { stream.uniformDouble(UInt64($0)) })
            #expect(Array(values[offset * 3 ..< offset * 3 + 3]) == expected)
        }
        #expect(prior.identity.isEmpty, "a prior is recorded as the dataset's prior, not as a proposal")
    }

    @Test("the row kernel's batch keeps each row's typed error; a malformed batch is refused whole")
    func rowKernelBatch() throws {
        let batch = SimulationBatch(inputs: [-0.95, 0.1, 0.2, 0.3], inputCount: 2, rows: [0, 1], seed: 0)
        let result = try FlakySimulator().simulate(batch)
        #expect(result.failures[0] as? SimulatorError == .inputOutOfDomain(input: "a", value: -0.95, reason: "below -0.9 on purpose"))
        #expect(result.failures[1] == nil && result.output(0).allSatisfy(\.isNaN))
        #expect(Array(result.output(1)) == (try FlakySimulator().simulate([0.2, 0.3])))
        #expect(throws: SimulatorError.wrongInputCount(expected: 2, got: 3)) {
            try FlakySimulator().simulate(SimulationBatch(inputs: [1, 2, 3], inputCount: 3, rows: [0], seed: 0))
        }
        // Through the protocol (no row kernel in sight) the one-row convenience rethrows the row's own error.
        let any: any Simulator = FlakySimulator()
        #expect(throws: SimulatorError.self) { try any.simulate([-0.95, 0]) }
    }

    @Test("the catalogue resolves registered names and schemes, and names what it knows otherwise")
    func catalogueRegistration() throws {
        var catalogue = SimulatorCatalog()
        catalogue.register("flaky") { _ in .init(simulator: FlakySimulator(), defaultPrior: FlakySimulator.prior, defaultNoiseModel: .none) }
        let seen = LockedBox<String?>(nil)
        catalogue.registerScheme("exec") { argument in
            seen.value = argument
            return .init(simulator: BatchOnlySimulator(), defaultPrior: FlakySimulator.prior, defaultNoiseModel: .none)
        }
        #expect(try catalogue.entry(named: "flaky").simulator.name == "flaky")
        #expect(try catalogue.entry(named: "exec:sim/my model.yaml").simulator.name == "batch-only")
        #expect(seen.value == "sim/my model.yaml")
        #expect(catalogue.names == ["flaky", "exec:…"])
        #expect(throws: DatasetBuildError.unknownSimulator(name: "other:x", known: ["flaky", "exec:…"])) {
            try catalogue.entry(named: "other:x")
        }
        // The standard catalogue holds the built-ins and the exec: scheme (NPEExternalSimulator).
        #expect(SimulatorCatalog.names == ["ariel-transmission", "linear-gaussian", "two-moons", "exec:…"])
    }

    @Test("a build plan records a non-prior source, and a resume from another source is refused")
    func planRecordsTheSource() throws {
        struct Shifted: ParameterSource {
            var prior: Prior
            var identity: String
            func draw(rows: Range<Int>, seed: UInt64, into values: UnsafeMutableBufferPointer<Double>) throws {
                prior.draw(rows: rows, seed: seed, into: values)
            }
        }
        let prior = FlakySimulator.prior
        let plan = try DatasetBuildPlan(source: Shifted(prior: prior, identity: "proposal A"), simulator: FlakySimulator(),
                                        noiseModel: .none, rows: 10, seed: 1)
        let other = try DatasetBuildPlan(source: Shifted(prior: prior, identity: "proposal B"), simulator: FlakySimulator(),
                                         noiseModel: .none, rows: 10, seed: 1)
        #expect(plan.parameterSource == "proposal A")
        #expect(throws: DatasetBuildError.self) { try plan.requireSameRequest(as: other, file: "plan.json") }
        let fromPrior = try DatasetBuildPlan(source: prior, simulator: FlakySimulator(), noiseModel: .none, rows: 10, seed: 1)
        #expect(fromPrior.parameterSource == nil)
        #expect(throws: DatasetBuildError.self) { try fromPrior.requireSameRequest(as: plan, file: "plan.json") }
    }
}

/// A value shared with a `@Sendable` closure in a test.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
