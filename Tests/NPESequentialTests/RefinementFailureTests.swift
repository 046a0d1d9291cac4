import Foundation
import NPEFlows
import NPESequential
import NPETensor
import NPETraining
import NPESimulators
import NPETestSupport
import Testing

/// A simulator that refuses every row, as a broken external model would.
struct RefusingSimulator: RowSimulator {
    let base = LinearGaussianProblem.standard(thetaCount: 2, outputCount: 4)
    var name: String { "refusing" }
    var version: String { "1" }
    var inputNames: [String] { base.inputNames }
    var outputCount: Int { 4 }
    func simulate(_ inputs: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) throws {
        throw SimulatorError.inputOutOfDomain(input: "theta_1", value: inputs[0], reason: "this simulator refuses everything")
    }
}

@Test func aZeroBudgetIsAnError() throws {
    let fixture = try LinearGaussianRefinement()
    for (rounds, simulations) in [(0, 100), (2, 0)] {
        let directory = try makeTemporaryDirectory("refine-zero")
        defer { try? FileManager.default.removeItem(at: directory) }
        let settings = LinearGaussianRefinement.settings(.tsnpe, rounds: rounds, simulations: simulations)
        #expect(throws: SequentialError.self) { try fixture.refinement(settings, directory: directory).run() }
        do { _ = try fixture.refinement(settings, directory: directory).run() } catch {
            #expect("\(error)".contains("zero simulation budget"), "\(error)")
        }
    }
}

@Test func aSimulatorFailingEveryRowNamesTheTargetAndRound() throws {
    let fixture = try LinearGaussianRefinement()
    let problem = try RefinementProblem(prior: fixture.problem.prior, simulator: RefusingSimulator())
    let directory = try makeTemporaryDirectory("refine-refusing")
    defer { try? FileManager.default.removeItem(at: directory) }
    let refinement = SequentialRefinement(problem: problem, target: fixture.target, settings: LinearGaussianRefinement.settings(.apt, simulations: 50),
                                          start: .fresh(LinearGaussianRefinement.architecture, seed: 5), directory: directory)
    do {
        _ = try refinement.run()
        Issue.record("a round whose simulations all failed must stop the target")
    } catch let error as SequentialError {
        guard case let .allSimulationsFailed(target, round, rows, firstError) = error else { Issue.record("\(error)"); return }
        #expect(target == fixture.target.id && round == 0 && rows == 50)
        #expect(firstError?.contains("refuses everything") == true)
    }
}

/// A TSNPE proposal whose HPD region lies where the prior has no mass (q at θ = 40 prior sd), and a catalogue of
/// two targets where that one fails and the other is refined.
@Test func aTruncationKeepingNoPriorMassFlagsItsTargetAndTheOthersGoOn() throws {
    let good = try LinearGaussianRefinement(seed: 3), bad = try LinearGaussianRefinement(seed: 4)
    let far = try MultivariateGaussian(mean: [40, -40], covariance: [1e-4, 0, 0, 1e-4])
    let root = try makeTemporaryDirectory("refine-catalogue")
    defer { try? FileManager.default.removeItem(at: root) }
    var settings = LinearGaussianRefinement.settings(.tsnpe, rounds: 1, simulations: 200)
    settings.truncationMaximumPriorDraws = 200_000
    settings.training.epochs = 3
    let outcomes = CatalogueRefinement.run(count: 2, concurrentTargets: 2, resume: false) { i in
        let fixture = i == 0 ? good : bad
        let refinement = fixture.refinement(settings, directory: root.appendingPathComponent("target-\(i)"),
                                            initial: i == 1 ? GaussianPosterior(far) : nil)
        return refinement
    }
    #expect(outcomes[0].failure == nil)
    let reason = try #require(outcomes[1].failure)
    #expect(reason.contains(bad.target.id) && reason.contains("keeps no prior mass"), "\(reason)")
}

/// The atomic loss on a batch with as many atoms as rows equals −Σᵢ [uᵢᵢ − log Σⱼ exp uᵢⱼ], computed here from
/// the estimator's own log q at every (θⱼ, xᵢ) pair; float tolerance 1e-3 relative on a sum of 6 terms.
@Test func theAtomicLossMatchesItsDefinition() throws {
    let fixture = try LinearGaussianRefinement()
    let estimator = try NeuralPosteriorEstimator(
        architecture: LinearGaussianRefinement.architecture, standardization: .identity(thetaCount: 2, xCount: 4), stream: .init(seed: 8))
    let b = 6
    let theta = (0..<b * 2).map { Float(sin(Double($0) * 1.3)) }, x = (0..<b * 4).map { Float(cos(Double($0) * 0.7)) }
    let inputs = TrainingInputs(theta: try Tensor(shape: [b, 2], scalars: theta), x: try Tensor(shape: [b, 4], scalars: x), sigma: nil, context: nil)
    let loss = AtomicProposalLoss(prior: fixture.refinementProblem.thetaPrior, atoms: b, seed: 1)
    let value = Double(try loss.summedLoss(of: estimator, on: inputs).value.scalarValue)
    var expected = 0.0
    for i in 0..<b {
        let xi = try Tensor(shape: [1, 4], scalars: Array(x[i * 4 ..< (i + 1) * 4]))
        let logq = try estimator.logProbability(of: inputs.theta, given: xi).scalars.map(Double.init)
        let u = (0..<b).map { j in logq[j] - fixture.refinementProblem.thetaPrior.logDensity(theta: [Double(theta[2 * j]), Double(theta[2 * j + 1])]) }
        let top = u.max()!
        expected -= u[i] - (top + log(u.reduce(0) { $0 + exp($1 - top) }))
    }
    expectClose(value, expected, relative: 1e-3)
}
