import Foundation
import NPESimulators
import NPETensor
import NPESupport

/// Turns a real target list into a mock observed catalogue that can be scored: per target, truths from the
/// catalogue, the remaining parameters from the prior, one simulation, and Gaussian noise from the noise model.
///
/// For target row r (its row in the list, so results do not depend on `limit`, skipped neighbours or threads):
/// 1. every prior parameter k takes `quantile(u_k)` with u_k = uniform k of `RandomStream(seed).child(r)`, then the
///    parameters the list supplies (for the ARIEL prior: `planet_radius`, `planet_temp` = equilibrium temperature,
///    `planet_mass`, `star_radius`) are replaced by the catalogue's values;
/// 2. a catalogue value outside the prior's support (zero prior density) skips the target; it is never clamped,
///    because a clamped truth would be a planet the catalogue does not contain;
/// 3. the simulator gives the noise-free spectrum μ (a failure or non-finite output skips the target);
/// 4. σ = noise model's sigma for the target (per-target table: looked up by name, σ_N = √(σ₁²/N + f²)), and
///    x_b = μ_b + σ_b Φ⁻¹(v_b) with v_b = uniform b of `RandomStream(seed, stream: 1).child(r)`.
public struct MockCatalogueBuilder: Sendable {
    /// How many transits are co-added behind each target's σ.
    public enum Transits: Sendable, Equatable, CustomStringConvertible {
        /// The same N for every target.
        case fixed(Int)
        /// The catalogue's Tier-2 number (`Tier 2 Transits` in the MCS list); targets without one are skipped.
        case tier2

        public var description: String {
            switch self {
            case let .fixed(n): return "\(n)"
            case .tier2: return "tier2"
            }
        }
    }

    public let prior: Prior
    public let simulator: any Simulator
    public let noiseModel: NoiseModel
    public let transits: Transits
    public let seed: UInt64
    /// For each simulator input, its position in the prior's parameters.
    private let inputPositions: [Int]

    /// - Throws: ``PriorError`` when the prior lacks a simulator input; ``DatasetBuildError`` when the noise model's
    ///   bin count differs from the simulator's output count or the transit count is not positive.
    public init(prior: Prior, simulator: any Simulator, noiseModel: NoiseModel, transits: Transits = .fixed(1), seed: UInt64) throws {
        inputPositions = try prior.parameterIndices(forInputs: simulator.inputNames, simulator: simulator.name)
        if let bins = noiseModel.binCount, bins != simulator.outputCount {
            throw DatasetBuildError.invalidArgument(
                field: "noise", reason: "the \(noiseModel.kind) noise model has \(bins) bins, \(simulator.name) makes \(simulator.outputCount)")
        }
        if case let .fixed(n) = transits, n < 1 {
            throw DatasetBuildError.invalidArgument(field: "transits", reason: "\(n) is not positive")
        }
        self.prior = prior
        self.simulator = simulator
        self.noiseModel = noiseModel
        self.transits = transits
        self.seed = seed
    }

    /// One target's outcome.
    private enum Outcome {
        case written(theta: [Double], context: [Double], mu: [Double], x: [Double], sigma: [Double], transits: Int)
        case skipped(SkippedTarget)
    }

    /// A target ready to simulate: its inputs drawn and checked, its σ known.
    private struct Prepared {
        var values: [Double]
        var sigma: [Double]
        var transits: Int
    }

    private enum Preparation {
        case ready(Prepared)
        case skipped(SkippedTarget)
    }

    /// Builds the catalogue from the first `limit` targets of `list` (all when nil) on `threads` threads.
    ///
    /// The targets' spectra are simulated in batches (``Simulator/preferredBatchRows`` rows, else 64), each row
    /// keyed on (seed, the target's row in the list), so an out-of-process simulator pays its per-call cost once per
    /// batch and the catalogue does not depend on the thread count.
    public func build(_ list: CatalogueTargetList, limit: Int? = nil, threads: Int = 1) -> MockCatalogue {
        let targets = Array(list.targets.prefix(max(0, limit ?? list.targets.count)))
        var outcomes = [Outcome?](repeating: nil, count: targets.count)
        var prepared: [Int: Prepared] = [:]
        for (index, target) in targets.enumerated() {
            switch prepare(target) {
            case let .ready(ready): prepared[index] = ready
            case let .skipped(skipped): outcomes[index] = .skipped(skipped)
            }
        }
        let ready = prepared.keys.sorted()
        let batchRows = max(1, simulator.preferredBatchRows ?? 64)
        let batches = stride(from: 0, to: ready.count, by: batchRows).map { Array(ready[$0 ..< min($0 + batchRows, ready.count)]) }
        let lock = NSLock()
        let workers = max(1, min(threads, batches.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for batch in stride(from: worker, to: batches.count, by: workers) {
                let indices = batches[batch]
                let finished = simulate(indices.map { (targets[$0], prepared[$0]!) })
                lock.lock()
                for (index, outcome) in zip(indices, finished) { outcomes[index] = outcome }
                lock.unlock()
            }
        }
        let grid = simulator.spectralGrid
        var catalogue = MockCatalogue(
            ids: [], sourceRows: [], parameterNames: prior.thetaNames,
            parameterUnits: prior.thetaIndices.map { prior.parameters[$0].unit ?? "" }, contextNames: prior.contextNames,
            catalogueParameters: prior.names.filter { list.parameterColumns[$0] != nil },
            thetaTrue: [], context: [], xNoiseFree: [], x: [], sigma: noiseModel == .none ? nil : [], transits: [],
            wavelengths: grid?.wavelengths ?? (0..<simulator.outputCount).map(Double.init),
            binWidths: grid?.binWidths ?? Array(repeating: 1, count: simulator.outputCount), skipped: [])
        for (target, outcome) in zip(targets, outcomes) {
            switch outcome! {
            case let .skipped(reason): catalogue.skipped.append(reason)
            case let .written(theta, context, mu, x, sigma, transits):
                catalogue.ids.append(target.name)
                catalogue.sourceRows.append(target.row)
                catalogue.thetaTrue += theta
                catalogue.context += context
                catalogue.xNoiseFree += mu
                catalogue.x += x
                catalogue.sigma? += sigma
                catalogue.transits.append(transits)
            }
        }
        return catalogue
    }

    private static func skip(_ target: CatalogueTarget, _ category: String, _ reason: String) -> SkippedTarget {
        SkippedTarget(row: target.row, line: target.line, name: target.name, category: category, reason: reason)
    }

    /// A target's inputs and σ, or why it is skipped before simulation.
    private func prepare(_ target: CatalogueTarget) -> Preparation {
        func skip(_ category: String, _ reason: String) -> Preparation {
            .skipped(Self.skip(target, category, reason))
        }
        if let gap = target.missing.first {
            return skip("\(gap) missing", "no catalogue value for \(gap)")
        }
        let stream = RandomStream(seed: seed).child(UInt64(target.row))
        var values = prior.draw(uniforms: (0..<prior.uniformCount).map { stream.uniformDouble(UInt64($0)) })
        var outside: [(name: String, text: String)] = []
        for (k, parameter) in prior.parameters.enumerated() {
            guard let value = target.values[parameter.name] else { continue }
            guard parameter.distribution.logDensity(value).isFinite else {
                let support = parameter.distribution.support
                outside.append((parameter.name,
                                "\(parameter.name) = \(value)\(parameter.unit.map { " \($0)" } ?? "") is outside the prior's support "
                                    + "(\(support.lowerBound), \(support.upperBound)) of \(parameter.distribution.familyName)"))
                continue
            }
            values[k] = value
        }
        // Every offending value is listed; the first names the group it is counted in.
        if let first = outside.first { return skip("\(first.name) outside prior", outside.map(\.text).joined(separator: "; ")) }
        var transitCount = 1
        switch transits {
        case let .fixed(n): transitCount = n
        case .tier2:
            guard let n = target.tier2Transits else { return skip("tier2 transits missing", "no Tier 2 transit count in the list") }
            transitCount = n
        }
        var noiseTarget = target.noiseTarget
        noiseTarget.transits = transitCount
        let sigma: [Double]
        do { sigma = try noiseModel.sigma(for: noiseTarget) } catch {
            return skip("no noise", "the \(noiseModel.kind) noise model has no sigma for this target: \(error)")
        }
        return .ready(Prepared(values: values, sigma: sigma, transits: transitCount))
    }

    /// One simulator call for prepared targets, then each target's noise.
    private func simulate(_ batch: [(target: CatalogueTarget, prepared: Prepared)]) -> [Outcome] {
        let width = inputPositions.count, m = simulator.outputCount
        let inputs = batch.flatMap { item in inputPositions.map { item.prepared.values[$0] } }
        let result: SimulationResult
        do {
            result = try simulator.simulate(SimulationBatch(inputs: inputs, inputCount: width, rows: batch.map(\.target.row), seed: seed))
        } catch {
            return batch.map { .skipped(Self.skip($0.target, "simulation failed", "simulation failed: \(error)")) }
        }
        return batch.enumerated().map { offset, item in
            let (target, prepared) = item
            if let failure = result.failures[offset] {
                return .skipped(Self.skip(target, "simulation failed", "simulation failed: \(failure)"))
            }
            let mu = Array(result.outputs[offset * m ..< (offset + 1) * m])
            if let bin = mu.firstIndex(where: { !$0.isFinite }) {
                return .skipped(Self.skip(target, "simulation failed", "simulation gave \(mu[bin]) in bin \(bin)"))
            }
            var x = mu
            let noise = RandomStream(seed: seed, stream: 1).child(UInt64(target.row))
            NoiseModel.addNoise(to: &x, sigma: prepared.sigma, uniforms: prepared.sigma.indices.map { noise.uniformDouble(UInt64($0)) })
            return .written(theta: prior.thetaIndices.map { prepared.values[$0] }, context: prior.contextIndices.map { prepared.values[$0] },
                            mu: mu, x: x, sigma: prepared.sigma, transits: prepared.transits)
        }
    }
}
