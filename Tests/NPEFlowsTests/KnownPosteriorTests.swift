import Foundation
import NPEFlows
import NPENN
import NPESimulators
import NPETensor
import Testing
import NPESupport

/// Trained estimators against posteriors known in closed form or by quadrature.
@Suite("Known posteriors", .serialized)
struct KnownPosteriorTests {
    /// Pairs (θ, x) from the linear-Gaussian joint: θ ~ N(μ₀, s²), x = Aθ + b + σε.
    static func linearGaussianPairs(_ problem: LinearGaussianProblem, count: Int, seed: UInt64) throws -> (Tensor, Tensor) {
        let d = problem.thetaCount, m = problem.outputCount
        let stream = RandomStream(seed: seed)
        var theta = Tensor.zeros([count, d]), x = Tensor.zeros([count, m])
        for r in 0..<count {
            for j in 0..<d {
                theta[r, j] = Float(problem.priorMean[j] + problem.priorStandardDeviation[j] * stream.normalDouble(UInt64(r * (d + m) + j)))
            }
            for i in 0..<m {
                var value = problem.offset[i] + problem.noiseStandardDeviation[i] * stream.normalDouble(UInt64(r * (d + m) + d + i))
                for j in 0..<d { value += problem.matrix[i * d + j] * Double(theta[r, j]) }
                x[r, i] = Float(value)
            }
        }
        return (theta, x)
    }

    /// 5-D θ, 10-D x: the trained MAF's posterior against the exact Gaussian posterior, at three observations.
    ///
    /// Tolerances, in units of the true posterior standard deviations (≈ 0.045 here): mean error ≤ 0.5 σ and
    /// standard deviations within 25 % per component, correlations within 0.2; and KL(q ‖ p) = E_q[log q − log p]
    /// (Monte Carlo over 4000 samples, standard error ≈ 0.01) ≤ 0.2 nats. A short run (a few seconds) of an
    /// amortised estimator does not reach the exact posterior: this run gives mean errors ≤ 0.32 σ and KL ≤ 0.11,
    /// and the margin absorbs a different BLAS summation order on other CPUs. A wrong log-determinant, a missing
    /// standardisation term or a broken conditioner misses these by an order of magnitude (the prior alone is
    /// ≈ 20 σ wide).
    @Test("linear Gaussian (5-D θ): mean, covariance and KL")
    func linearGaussian() throws {
        Engine.configure(blasThreads: 1)
        let problem = LinearGaussianProblem.standard(thetaCount: 5, outputCount: 10)
        let (theta, x) = try Self.linearGaussianPairs(problem, count: 30_000, seed: 1)
        let architecture = EstimatorArchitecture(
            thetaSupports: Array(repeating: .identity, count: 5), xCount: 10, embedding: .identity, flowKind: .maf,
            transforms: 3, hiddenWidths: [64, 64], activation: .relu)
        let standardization = try Standardization.fit(theta: theta, x: x, supports: architecture.thetaSupports)
        let estimator = try NeuralPosteriorEstimator(architecture: architecture, standardization: standardization, stream: RandomStream(seed: 2))
        let loss = try train(estimator, theta: theta, x: x, steps: 4000, batch: 512, learningRate: 3e-3)
        print("linear Gaussian: final loss \(loss)")

        let (thetaObserved, xObserved) = try Self.linearGaussianPairs(problem, count: 3, seed: 99)
        _ = thetaObserved
        let samples = 4000
        let (draws, logq) = try estimator.sample(given: xObserved, count: samples, stream: RandomStream(seed: 5))
        for t in 0..<3 {
            let truth = try problem.posterior(given: (0..<10).map { Double(xObserved[t, $0]) })
            var mean = [Double](repeating: 0, count: 5), cov = [Double](repeating: 0, count: 25)
            for s in 0..<samples { for j in 0..<5 { mean[j] += Double(draws.scalars[(t * samples + s) * 5 + j]) / Double(samples) } }
            for s in 0..<samples {
                for i in 0..<5 {
                    for j in 0..<5 {
                        cov[i * 5 + j] += (Double(draws.scalars[(t * samples + s) * 5 + i]) - mean[i])
                            * (Double(draws.scalars[(t * samples + s) * 5 + j]) - mean[j]) / Double(samples - 1)
                    }
                }
            }
            var kl = 0.0
            for s in 0..<samples {
                let point = (0..<5).map { Double(draws.scalars[(t * samples + s) * 5 + $0]) }
                kl += (Double(logq[t, s]) - truth.logDensity(point)) / Double(samples)
            }
            let sd = (0..<5).map { truth.covariance[$0 * 5 + $0].squareRoot() }
            for j in 0..<5 {
                #expect(abs(mean[j] - truth.mean[j]) <= 0.5 * sd[j], "obs \(t) θ\(j): mean \(mean[j]) vs \(truth.mean[j]) (sd \(sd[j]))")
                #expect(abs(cov[j * 5 + j].squareRoot() / sd[j] - 1) <= 0.25, "obs \(t) θ\(j): sd \(cov[j * 5 + j].squareRoot()) vs \(sd[j])")
                for i in 0..<j {
                    let rq = cov[i * 5 + j] / (cov[i * 5 + i] * cov[j * 5 + j]).squareRoot()
                    let rp = truth.covariance[i * 5 + j] / (sd[i] * sd[j])
                    #expect(abs(rq - rp) <= 0.2, "obs \(t) corr(\(i),\(j)): \(rq) vs \(rp)")
                }
            }
            #expect(kl <= 0.2 && kl > -0.05, "obs \(t): KL(q‖p) ≈ \(kl)")
            print("linear Gaussian obs \(t): KL \(kl), mean err/sd \(zip(zip(mean, truth.mean), sd).map { abs($0.0 - $0.1) / $1 })")
        }
    }

    /// A bimodal posterior: θ ~ N(0.3, 1), x = θ² + 0.3 ε, observed x = 2.25, so p(θ | x) has modes near ±1.5
    /// with unequal mass (the prior favours θ > 0). The truth comes from quadrature on a fine grid.
    ///
    /// Tolerances: the positive mode's mass within 0.06 (4000 samples give a standard error of 0.008; the rest
    /// is what a short training run leaves), each mode's mean within 0.12 (the modes' widths are ≈ 0.1).
    @Test("bimodal 1-D posterior: NSF finds both modes with the right mass")
    func bimodal() throws {
        Engine.configure(blasThreads: 1)
        let n = 20_000, stream = RandomStream(seed: 21)
        var theta = Tensor.zeros([n, 1]), x = Tensor.zeros([n, 1])
        for r in 0..<n {
            let t = 0.3 + stream.normal(UInt64(2 * r))
            theta[r, 0] = t
            x[r, 0] = t * t + 0.3 * stream.normal(UInt64(2 * r + 1))
        }
        let architecture = EstimatorArchitecture(thetaSupports: [.identity], xCount: 1, embedding: .identity, flowKind: .nsf,
                                                 transforms: 3, hiddenWidths: [32, 32], bins: 8, tailBound: 4)
        let estimator = try NeuralPosteriorEstimator(
            architecture: architecture, standardization: try Standardization.fit(theta: theta, x: x, supports: [.identity]),
            stream: RandomStream(seed: 22))
        try train(estimator, theta: theta, x: x, steps: 2500, learningRate: 3e-3)

        let observed: Float = 2.25
        // Quadrature truth.
        var mass = 0.0, positive = 0.0, positiveMean = 0.0, negativeMean = 0.0
        for i in 0..<20_000 {
            let t = -5 + 10 * (Double(i) + 0.5) / 20_000
            let density = exp(-0.5 * (t - 0.3) * (t - 0.3) - 0.5 * pow((Double(observed) - t * t) / 0.3, 2))
            mass += density
            if t > 0 { positive += density; positiveMean += t * density } else { negativeMean += t * density }
        }
        let truthPositive = positive / mass
        positiveMean /= positive
        negativeMean /= (mass - positive)

        let count = 4000
        let (samples, _) = try estimator.sample(given: Tensor(repeating: observed, shape: [1, 1]), count: count, stream: RandomStream(seed: 23))
        let values = samples.scalars.map(Double.init)
        let pos = values.filter { $0 > 0 }, neg = values.filter { $0 <= 0 }
        let fraction = Double(pos.count) / Double(count)
        print("bimodal: positive mass \(fraction) vs \(truthPositive); means \(pos.reduce(0, +) / Double(max(pos.count, 1))), \(neg.reduce(0, +) / Double(max(neg.count, 1))) vs \(positiveMean), \(negativeMean)")
        #expect(abs(fraction - truthPositive) <= 0.06, "positive-mode mass \(fraction) vs \(truthPositive)")
        #expect(!pos.isEmpty && !neg.isEmpty, "a mode is missing")
        #expect(abs(pos.reduce(0, +) / Double(max(pos.count, 1)) - positiveMean) <= 0.12)
        #expect(abs(neg.reduce(0, +) / Double(max(neg.count, 1)) - negativeMean) <= 0.12)
    }
}
