import Foundation
import NPESimulators

/// The exact likelihood of a built-in simulator under Gaussian noise, and the prior density, for importance
/// sampling:
///
///   log p(x | θ, c) = Σ_b [−½ ((x_b − f_b(θ, c))/σ_b)² − log σ_b − ½ log 2π],
///
/// summed over the observed bins: a bin whose x is NaN was not observed and is left out (its σ is not read), so
/// the weights target p(θ | x_obs) and the evidence is p(x_obs). f is the simulator run on θ and the target's context c, each simulator input taken by name from θ, from
/// the context, or from a fixed prior value (so prior order never silently changes the physics).
///
/// A θ the simulator refuses (an input out of its domain) or whose spectrum is not finite has likelihood 0
/// (log −∞): it gets weight 0 rather than stopping the run.
///
/// Thread safety: simulators are `Sendable` and deterministic, so any number of threads may call
/// ``logLikelihood(theta:context:x:sigma:)`` at once.
public struct SimulatorLikelihood: @unchecked Sendable {
    /// Where one simulator input comes from.
    enum Source: Equatable {
        case theta(Int)
        case context(Int)
        case fixed(Double)
    }

    public let simulator: any Simulator
    /// The prior of θ (and the context inputs), as the model was trained on it.
    public let prior: Prior
    let sources: [Source]

    /// - Parameters:
    ///   - thetaNames: D names in the model's parameter order (must be the prior's θ names, in order).
    ///   - contextNames: A context names in the model's order.
    /// - Throws: ``InferenceError/likelihoodUnavailable(model:reason:)`` for a stochastic simulator
    ///   (``Simulator/isStochastic``), when a simulator input is neither a
    ///   parameter, a context input nor a fixed prior value, or when the prior's θ names differ from `thetaNames`.
    public init(simulator: any Simulator, prior: Prior, thetaNames: [String], contextNames: [String], model: String) throws {
        guard !simulator.isStochastic else {
            throw InferenceError.likelihoodUnavailable(
                model: model, reason: "simulator '\(simulator.name)' is declared stochastic (noise inside the simulator), so "
                    + "it has no exact Gaussian likelihood: importance sampling and SNPE-IS need a noise-free simulator whose "
                    + "noise is the catalogue's sigma")
        }
        guard prior.thetaNames == thetaNames else {
            throw InferenceError.likelihoodUnavailable(
                model: model, reason: "the prior's parameters \(prior.thetaNames) differ from the model's \(thetaNames)")
        }
        sources = try simulator.inputNames.map { input in
            if let d = thetaNames.firstIndex(of: input) { return .theta(d) }
            if let a = contextNames.firstIndex(of: input) { return .context(a) }
            if let parameter = prior.parameter(named: input), case let .fixed(value) = parameter.distribution { return .fixed(value) }
            throw InferenceError.likelihoodUnavailable(
                model: model, reason: "simulator '\(simulator.name)' input '\(input)' is neither a parameter, a context input nor fixed in the prior")
        }
        self.simulator = simulator
        self.prior = prior
    }

    /// M, the simulator's output count.
    public var binCount: Int { simulator.outputCount }

    /// log p(θ) over the D inferred parameters; −∞ outside the prior's support.
    public func logPrior(theta: [Double]) -> Double { prior.logDensity(theta: theta) }

    /// log p(x | θ, c) with independent Gaussian noise σ per bin (x, σ: M values; σ > 0 at observed bins, checked
    /// by the caller); bins with NaN x are missing and left out.
    public func logLikelihood(theta: [Double], context: [Double], x: [Double], sigma: [Double]) -> Double {
        logLikelihoods(thetas: [theta], rows: [0], seed: 0, context: context, x: x, sigma: sigma)[0]
    }

    /// log p(x | θ_k, c) for a batch of θ's, simulated in one ``Simulator/simulate(_:)`` call, so an
    /// out-of-process simulator pays its per-call cost once per batch.
    ///
    /// - Parameters:
    ///   - thetas: K rows of D values.
    ///   - rows: each row's global index (the sample index), which keys a stochastic simulator's draws.
    /// - Returns: K log-likelihoods; −∞ where the simulation failed or gave a non-finite spectrum.
    public func logLikelihoods(thetas: [[Double]], rows: [Int], seed: UInt64, context: [Double], x: [Double], sigma: [Double]) -> [Double] {
        // NaN in x marks a bin that was not observed: the likelihood is that of the observed bins only.
        let observed = x.indices.filter { !x[$0].isNaN }
        let complete = observed.count == x.count
        let xObserved = complete ? x : observed.map { x[$0] }, sigmaObserved = complete ? sigma : observed.map { sigma[$0] }
        return spectra(thetas: thetas, rows: rows, seed: seed, context: context).map { spectrum in
            guard let spectrum else { return -.infinity }
            return NoiseModel.logLikelihood(observed: xObserved, simulated: complete ? spectrum : observed.map { spectrum[$0] },
                                            sigma: sigmaObserved)
        }
    }

    /// The noise-free spectrum f(θ, c) (M values), or nil when the simulator refuses θ or gives a non-finite value.
    public func spectrum(theta: [Double], context: [Double]) -> [Double]? {
        spectra(thetas: [theta], rows: [0], seed: 0, context: context)[0]
    }

    /// The noise-free spectra of a batch of θ's in one simulator call; nil for a row the simulator refused or
    /// gave a non-finite value for.
    public func spectra(thetas: [[Double]], rows: [Int], seed: UInt64, context: [Double]) -> [[Double]?] {
        let width = sources.count, m = simulator.outputCount
        var inputs = [Double](repeating: 0, count: thetas.count * width)
        for (row, theta) in thetas.enumerated() {
            for (k, source) in sources.enumerated() {
                switch source {
                case let .theta(d): inputs[row * width + k] = theta[d]
                case let .context(a): inputs[row * width + k] = context[a]
                case let .fixed(value): inputs[row * width + k] = value
                }
            }
        }
        guard let result = try? simulator.simulate(SimulationBatch(inputs: inputs, inputCount: width, rows: rows, seed: seed)) else {
            return [[Double]?](repeating: nil, count: thetas.count)
        }
        return thetas.indices.map { row in
            let spectrum = Array(result.output(row))
            guard result.failures[row] == nil, spectrum.count == m, spectrum.allSatisfy(\.isFinite) else { return nil }
            return spectrum
        }
    }
}
