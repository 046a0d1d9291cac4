import Foundation
import NPEFlows
import NPETensor
import Testing
import NPESupport

/// The estimator trains end to end through the residual-CNN featurizer with the noise level as a second input
/// channel (Gebhard et al. 2025), on a toy spectral problem: one Gaussian absorption line of amplitude a and centre
/// c on 32 bins, observed with a per-row noise level σ drawn log-uniformly over [0.02, 0.3] (a factor of 15).
@Suite("Estimator: residual CNN with the noise-level input")
struct NoiseLevelTrainingTests {
    static let bins = 32
    static let low: [Float] = [0.5, 0.3], high: [Float] = [2, 0.7]

    /// The noise-free line a·exp(−(w − c)²/(2·0.08²)) on wavelengths w = j/31.
    static func line(_ a: Float, _ c: Float) -> [Float] {
        (0..<bins).map { j in
            let w = Float(j) / Float(bins - 1)
            return a * expf(-(w - c) * (w - c) / (2 * 0.08 * 0.08))
        }
    }

    /// n rows of (θ, x, σ): θ uniform on the box, σ log-uniform per row, x = line + σ·ε.
    static func simulate(_ n: Int, seed: UInt64) throws -> (theta: Tensor, x: Tensor, sigma: Tensor) {
        let stream = RandomStream(seed: seed)
        let u = stream.child(1).uniformTensor([n, 3]), epsilon = stream.child(2).normalTensor([n, bins])
        var theta = [Float](), x = [Float](), sigma = [Float]()
        for r in 0..<n {
            let a = low[0] + (high[0] - low[0]) * u[r, 0], c = low[1] + (high[1] - low[1]) * u[r, 1]
            let s = 0.02 * powf(15, u[r, 2])
            theta += [a, c]
            x += line(a, c).enumerated().map { j, value in value + s * epsilon[r, j] }
            sigma += [Float](repeating: s, count: bins)
        }
        return (try Tensor(shape: [n, 2], scalars: theta), try Tensor(shape: [n, bins], scalars: x),
                try Tensor(shape: [n, bins], scalars: sigma))
    }

    @Test("held-out loss falls by nats, and the posterior widens with the stated noise level")
    func trainsThroughTheConvolutionWithTheNoiseLevel() throws {
        let (theta, x, sigma) = try Self.simulate(4000, seed: 11)
        let supports = (0..<2).map { SupportBijection.logit(low: Double(Self.low[$0]), high: Double(Self.high[$0])) }
        let architecture = EstimatorArchitecture(
            thetaSupports: supports, xCount: Self.bins, noiseLevelInput: true,
            embedding: EmbeddingArchitecture(kind: .residualConvolution, hiddenWidths: [32], outputCount: 16, channels: 8,
                                             blocks: 2, kernelSize: 5),
            flowKind: .nsfc, transforms: 3, hiddenWidths: [32, 32])
        let estimator = try NeuralPosteriorEstimator(
            architecture: architecture,
            standardization: try Standardization.fit(theta: theta, x: x, supports: supports), stream: RandomStream(seed: 3))
        let held = try Self.simulate(500, seed: 12)
        func heldOutLoss() throws -> Float {
            try withoutGradient { try estimator.loss(theta: held.theta, x: held.x, sigma: held.sigma).value.scalarValue }
        }
        let before = try heldOutLoss()
        try train(estimator, theta: theta, x: x, sigma: sigma, steps: 1000, batch: 128, learningRate: 3e-3)
        let after = try heldOutLoss()
        // The uniform prior is a loss of −log(1.5 · 0.4) ≈ −0.51 nats; the exact posterior at σ = 0.02–0.3 is nats
        // narrower in both a and c. A fit that ignores x (or a featurizer no gradient reaches) stays near the prior,
        // so a fall of 2 nats separates the two cases. This fixed-seed run falls by about 5 nats (−0.49 → −5.5).
        #expect(after < before - 2, "held-out loss \(before) → \(after)")

        // One line observed at σ = 0.02 and at σ = 0.3 (the same ε, scaled), each with its σ: the exact posterior sd
        // of a scales with σ (15×). An estimator that has learnt the noise dependence gives a much wider posterior
        // for the larger σ; a ratio above 3 is asked for, and this run gives about 7.6 (sd 0.026 vs 0.197; exact
        // about 0.01 vs 0.14). After only 500 steps the ratio was still about 1.2: the noise dependence is learnt
        // after the line itself, hence 1000 steps (about 3 s in release on a quiet core). The σ channel is not the
        // only clue here, since the off-line bins show the noise too: the test is that training through the CNN
        // with the channel on yields a noise-aware posterior, not that the channel alone carries it.
        let epsilon = RandomStream(seed: 5).normalTensor([Self.bins])
        let observed = [Float(0.02), 0.3].flatMap { s in Self.line(1.2, 0.5).enumerated().map { $1 + s * epsilon.scalars[$0] } }
        let observations = try Tensor(shape: [2, Self.bins], scalars: observed)
        let levels = try Tensor(shape: [2, Self.bins], scalars: [Float](repeating: 0.02, count: Self.bins)
            + [Float](repeating: 0.3, count: Self.bins))
        let (samples, _) = try estimator.sample(given: observations, sigma: levels, count: 2000, stream: RandomStream(seed: 4))
        func amplitudeSD(_ t: Int) -> Double {
            let values = (0..<2000).map { Double(samples.scalars[(t * 2000 + $0) * 2]) }
            let mean = values.reduce(0, +) / 2000
            return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 1999).squareRoot()
        }
        let ratio = amplitudeSD(1) / amplitudeSD(0)
        #expect(ratio > 3, "posterior sd of a: \(amplitudeSD(0)) at σ 0.02, \(amplitudeSD(1)) at σ 0.3")
    }
}
