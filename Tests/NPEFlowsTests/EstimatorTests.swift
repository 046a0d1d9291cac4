import Foundation
import NPEFlows
import NPENN
import NPETensor
import Testing
import NPESupport

/// Bad input, bounded supports and persistence of ``NeuralPosteriorEstimator``.
@Suite("Estimator: bad input, bounded priors, save and load")
struct EstimatorTests {
    static let supports: [SupportBijection] = [.logit(low: -1, high: 1), .logitOfLog(low: 1e-3, high: 10), .log, .identity]

    static func estimator(kind: FlowArchitecture.Kind = .nsf, noise: Bool = false,
                          embedding: EmbeddingArchitecture = EmbeddingArchitecture(kind: .mlp, hiddenWidths: [16], outputCount: 6))
        throws -> NeuralPosteriorEstimator
    {
        let architecture = EstimatorArchitecture(thetaSupports: supports, xCount: 8, noiseLevelInput: noise, embedding: embedding,
                                                 flowKind: kind, transforms: 2, hiddenWidths: [12, 12], bins: 6, tailBound: 4)
        let standardization = Standardization(xMean: .init(repeating: 0.5, count: 8), xScale: .init(repeating: 2, count: 8),
                                              thetaMean: [0, -1, 0.2, 3], thetaScale: [1.5, 2, 0.7, 4])
        return try NeuralPosteriorEstimator(architecture: architecture, standardization: standardization, stream: RandomStream(seed: 4))
    }

    static let theta = try! Tensor(rows: [[0.5, 0.01, 2.0, -3.0], [-0.9, 9.0, 0.1, 100.0], [0.0, 1.0, 1.0, 0.0]])
    static let x = RandomStream(seed: 12).normalTensor([3, 8])

    @Test("samples stay strictly inside the box, even for a context far outside the training data",
          arguments: FlowArchitecture.Kind.allCases)
    func boundedSamples(_ kind: FlowArchitecture.Kind) throws {
        let estimator = try Self.estimator(kind: kind)
        // Large random weights and an observation 10⁴ standard deviations out push u to ±∞ territory.
        for (i, (_, p)) in estimator.namedParameters.enumerated() {
            try p.assign(RandomStream(seed: 40, stream: UInt64(i)).normalTensor(p.shape, scale: 1.5))
        }
        let far = Tensor(repeating: 2e4, shape: [2, 8])
        let (samples, logq) = try estimator.sample(given: far, count: 2000, stream: RandomStream(seed: 3))
        let d = Self.supports.count
        for i in 0..<(samples.count / d) {
            for j in 0..<d {
                let value = Double(samples.scalars[i * d + j])
                #expect(Self.supports[j].contains(value), "sample \(i) θ\(j) = \(value) outside \(Self.supports[j])")
                if !Self.supports[j].contains(value) { return }
            }
        }
        #expect(!logq.scalars.contains { $0.isNaN }, "log q of samples is NaN")
    }

    @Test("θ outside the support has log q = −∞; inside, log q matches the sampler's")
    func outsideSupport() throws {
        let estimator = try Self.estimator()
        let outside = try Tensor(rows: [[1.5, 0.01, 2.0, 0.0], [0.0, 20.0, 1.0, 0.0], [0.0, 1.0, -1.0, 0.0], [0.2, 0.5, 0.5, 7.0]])
        let logq = try estimator.logProbability(of: outside, given: Tensor(rows: [Array(Self.x.scalars[0..<8])]))
        let firstThree: [Float] = Array(logq.scalars[0..<3])
        #expect(firstThree == [-Float.infinity, -Float.infinity, -Float.infinity])
        #expect(logq.scalars[3].isFinite)

        // The log q returned with samples equals a fresh evaluation at those samples (Float32 through two maps
        // and five layers: 1e-3 relative).
        let (samples, sampleLogq) = try estimator.sample(given: try Self.x.gatherRows([1]), count: 50, stream: RandomStream(seed: 8))
        let direct = try estimator.logProbability(of: samples.reshaped([50, 4]), given: try Self.x.gatherRows([1]))
        for i in 0..<50 {
            #expect(abs(direct.scalars[i] - sampleLogq.scalars[i]) <= 2e-3 * max(1, abs(direct.scalars[i])), "sample \(i)")
        }
    }

    struct BadInput: CustomStringConvertible, Sendable {
        let description: String
        let expected: EstimatorError
        let call: @Sendable (NeuralPosteriorEstimator) throws -> Void
    }

    static let badInputs: [BadInput] = [
        BadInput(description: "theta too narrow", expected: .wrongWidth(argument: "theta", expected: 4, shape: [3, 3])) {
            _ = try $0.logProbability(of: Tensor.zeros([3, 3]), given: x)
        },
        BadInput(description: "x too wide", expected: .wrongWidth(argument: "x", expected: 8, shape: [3, 9])) {
            _ = try $0.sample(given: Tensor.zeros([3, 9]), count: 2, stream: RandomStream(seed: 1))
        },
        BadInput(description: "NaN in x", expected: .nonFinite(argument: "x", row: 1, column: 2)) {
            var bad = x
            bad[1, 2] = .nan
            _ = try $0.logProbability(of: theta, given: bad)
        },
        BadInput(description: "infinite theta", expected: .nonFinite(argument: "theta", row: 2, column: 3)) {
            var bad = theta
            bad[2, 3] = .infinity
            _ = try $0.logProbability(of: bad, given: x)
        },
        BadInput(description: "training theta outside the box", expected: .thetaOutsideSupport(row: 0, column: 0, value: 1.0)) {
            var bad = theta
            bad[0, 0] = 1.0
            _ = try $0.loss(theta: bad, x: x)
        },
        BadInput(description: "sigma for a model without a noise input", expected: .noiseLevelMismatch(expected: false)) {
            _ = try $0.loss(theta: theta, x: x, sigma: Tensor(repeating: 1, shape: [3, 8]))
        },
    ]

    @Test("bad input is a typed error", arguments: badInputs)
    func badInput(_ case_: BadInput) throws {
        let estimator = try Self.estimator()
        #expect(throws: case_.expected) { try case_.call(estimator) }
    }

    @Test("save → load through the named tensors and the Codable architecture gives identical outputs",
          arguments: [EmbeddingArchitecture.Kind.mlp, .residualConvolution, .identity])
    func saveLoad(_ embeddingKind: EmbeddingArchitecture.Kind) throws {
        let embedding = EmbeddingArchitecture(kind: embeddingKind, hiddenWidths: [10], outputCount: 5, channels: 4, blocks: 2, kernelSize: 3)
        let original = try Self.estimator(kind: .nsfc, noise: true, embedding: embedding)
        let sigma = Tensor(repeating: 0.3, shape: [3, 8])
        let json = try JSONEncoder().encode(original.architecture)
        let architecture = try JSONDecoder().decode(EstimatorArchitecture.self, from: json)
        #expect(architecture == original.architecture)
        let restored = try NeuralPosteriorEstimator(architecture: architecture, tensors: original.tensorDictionary())
        let restoredLogq = try restored.logProbability(of: Self.theta, given: Self.x, sigma: sigma)
        let originalLogq = try original.logProbability(of: Self.theta, given: Self.x, sigma: sigma)
        #expect(restoredLogq == originalLogq)
        let a = try original.sample(given: Self.x, sigma: sigma, count: 7, stream: RandomStream(seed: 2))
        let b = try restored.sample(given: Self.x, sigma: sigma, count: 7, stream: RandomStream(seed: 2))
        #expect(a.theta == b.theta && a.logProbability == b.logProbability)
        // A gradient reaches every parameter of the whole estimator (embedding included) through the loss.
        try original.loss(theta: Self.theta, x: Self.x, sigma: sigma).backward()
        for (name, p) in original.namedParameters {
            #expect(p.gradient?.scalars.contains { $0 != 0 } == true, "no gradient reached \(name)")
        }
        // A dictionary missing a standardisation entry is refused.
        var damaged = original.tensorDictionary()
        damaged["standardization.x.scale"] = nil
        #expect(throws: EstimatorError.self) { try NeuralPosteriorEstimator(architecture: architecture, tensors: damaged) }
    }
}
