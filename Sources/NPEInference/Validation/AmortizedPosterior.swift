import NPETensor
import NPESupport

/// What validation needs of a posterior estimate q(θ | x): batched sampling with log densities, and the density of
/// given points. ``NeuralPosteriorEstimator`` conforms; tests use exact (or deliberately wrong) analytic posteriors.
public protocol AmortizedPosterior {
    /// D, the number of inferred parameters.
    var thetaCount: Int { get }

    /// S samples for each of T observations.
    ///
    /// - Parameters: x and σ `[T, M]` (σ: the per-bin noise of the observation), context `[T, A]` (nil when A = 0).
    /// - Returns: θ `[T, S, D]` and log q `[T, S]`, row-major.
    func sample(x: Tensor, sigma: Tensor?, context: Tensor?, count: Int, stream: RandomStream, workers: Int) throws
        -> (theta: [Float], logProbability: [Float])

    /// log q(θₜ | xₜ) for T pairs: θ `[T, D]`, x and σ `[T, M]`, context `[T, A]`. −∞ where θ is outside the support.
    func logProbability(of theta: Tensor, x: Tensor, sigma: Tensor?, context: Tensor?) throws -> [Float]
}

/// The noise a model was trained with, drawn again for validation: adds noise to one noise-free spectrum in place
/// and returns the σ used. Draw j of row r is keyed on (seed, epoch, r), so results do not depend on batching.
public protocol ObservationNoise {
    /// Where the noise comes from, for the report (e.g. `ariel-mcs-known-2024, 1 transit`).
    var source: String { get }
    func perturb(_ x: inout [Float], row: Int, epoch: Int, seed: UInt64) -> [Float]
}
