import Foundation
import NPEFlows
import NPENN
import NPETensor
import Testing
import NPESupport

/// Auxiliary context inputs (known per-target quantities such as planet mass and stellar radius).
@Suite("Estimator: context inputs")
struct ContextInputTests {
    static func estimator(transforms: [ContextTransform] = [.log, .identity]) throws -> NeuralPosteriorEstimator {
        let architecture = EstimatorArchitecture(
            thetaSupports: [.logit(low: -3, high: 3), .identity], xCount: 5, contextTransforms: transforms,
            embedding: EmbeddingArchitecture(kind: .mlp, hiddenWidths: [8], outputCount: 4),
            flowKind: .nsfc, transforms: 2, hiddenWidths: [10, 10], bins: 5, tailBound: 4)
        let standardization = Standardization(
            xMean: .init(repeating: 0, count: 5), xScale: .init(repeating: 1, count: 5), thetaMean: [0, 0], thetaScale: [1, 1],
            contextMean: .init(repeating: 0.5, count: transforms.count), contextScale: .init(repeating: 2, count: transforms.count))
        return try NeuralPosteriorEstimator(architecture: architecture, standardization: standardization, stream: RandomStream(seed: 9))
    }

    static let theta = try! Tensor(rows: [[0.5, 1.0], [-1.0, 0.0], [2.0, -4.0]])
    static let x = RandomStream(seed: 3).normalTensor([3, 5])
    static let context = try! Tensor(rows: [[1.0, 0.2], [3.0, -1.0], [0.1, 5.0]])

    @Test("the flow sees the context: the density changes with it, and a gradient flows through the whole network")
    func contextReachesTheFlow() throws {
        let estimator = try Self.estimator()
        #expect(estimator.architecture.flow.contextCount == 4 + 2)
        let a = try estimator.logProbability(of: Self.theta, given: Self.x, context: Self.context)
        var shifted = Self.context
        shifted[0, 0] = 7
        let b = try estimator.logProbability(of: Self.theta, given: Self.x, context: shifted)
        #expect(a[scalarAt: 0] != b[scalarAt: 0])
        #expect(a[scalarAt: 1] == b[scalarAt: 1] && a[scalarAt: 2] == b[scalarAt: 2])
        try estimator.loss(theta: Self.theta, x: Self.x, context: Self.context).backward()
        for (name, p) in estimator.namedParameters {
            #expect(p.gradient?.scalars.contains { $0 != 0 } == true, "no gradient reached \(name)")
        }
    }

    @Test("sampling takes one context row per observation; log q of the samples matches logProbability")
    func samplingWithContext() throws {
        let estimator = try Self.estimator()
        let (samples, logq) = try estimator.sample(given: Self.x, context: Self.context, count: 4, stream: RandomStream(seed: 1))
        #expect(samples.shape == [3, 4, 2] && logq.shape == [3, 4])
        for t in 0..<3 {
            let rows = try Tensor(shape: [4, 2], scalars: Array(samples.scalars[(t * 8)..<(t * 8 + 8)]))
            let again = try estimator.logProbability(of: rows, given: Self.x.gatherRows([t]), context: Self.context.gatherRows([t]))
            for s in 0..<4 {
                // Float32 through 2 spline transforms forward vs inverse: agreement to 1e-3 nats is what the
                // inverse-forward property tests establish for these flows.
                #expect(abs(again[scalarAt: s] - logq[t, s]) < 1e-3)
            }
        }
    }

    @Test("save → load keeps the context standardisation; outputs are identical")
    func saveLoad() throws {
        let original = try Self.estimator()
        let architecture = try JSONDecoder().decode(EstimatorArchitecture.self, from: JSONEncoder().encode(original.architecture))
        let restored = try NeuralPosteriorEstimator(architecture: architecture, tensors: original.tensorDictionary())
        #expect(restored.standardization == original.standardization)
        #expect(try restored.logProbability(of: Self.theta, given: Self.x, context: Self.context)
                == original.logProbability(of: Self.theta, given: Self.x, context: Self.context))
        var damaged = original.tensorDictionary()
        damaged["standardization.context.mean"] = nil
        #expect(throws: EstimatorError.self) { try NeuralPosteriorEstimator(architecture: architecture, tensors: damaged) }
    }

    @Test("missing, extra, wrong-width, non-finite or out-of-domain context is a typed error")
    func badContext() throws {
        let estimator = try Self.estimator()
        #expect(throws: EstimatorError.contextMismatch(expected: 2, got: 0)) {
            _ = try estimator.logProbability(of: Self.theta, given: Self.x)
        }
        #expect(throws: EstimatorError.contextMismatch(expected: 2, got: 3)) {
            _ = try estimator.loss(theta: Self.theta, x: Self.x, context: Tensor.zeros([3, 3]))
        }
        var negative = Self.context
        negative[1, 0] = -2
        #expect(throws: EstimatorError.invalidContext(row: 1, column: 0, value: -2)) {
            _ = try estimator.sample(given: Self.x, context: negative, count: 2, stream: RandomStream(seed: 1))
        }
        var nan = Self.context
        nan[2, 1] = .nan
        #expect(throws: EstimatorError.nonFinite(argument: "context", row: 2, column: 1)) {
            _ = try estimator.loss(theta: Self.theta, x: Self.x, context: nan)
        }
        let plain = try Self.estimator(transforms: [])
        #expect(throws: EstimatorError.contextMismatch(expected: 0, got: 2)) {
            _ = try plain.logProbability(of: Self.theta, given: Self.x, context: Self.context)
        }
    }

    @Test("fit standardises the transformed context")
    func fitContext() throws {
        let context = try Tensor(rows: [[1.0, 2.0], [Float(M_E * M_E), 4.0]])
        let s = try Standardization.fit(theta: Self.theta.gatherRows([0, 1]), x: Self.x.gatherRows([0, 1]), context: context,
                                        supports: [.logit(low: -3, high: 3), .identity], contextTransforms: [.log, .identity])
        #expect(abs(s.contextMean[0] - 1) < 1e-6 && abs(s.contextMean[1] - 3) < 1e-6)
        #expect(throws: EstimatorError.contextMismatch(expected: 2, got: 0)) {
            _ = try Standardization.fit(theta: Self.theta, x: Self.x, supports: [.logit(low: -3, high: 3), .identity],
                                        contextTransforms: [.log, .identity])
        }
    }
}

@Suite("Estimator: extreme observations")
struct ExtremeObservationTests {
    /// Depths of 1e37 (an unphysical simulator corner) are finite but overflow Float once standardised and pushed
    /// through the network: a typed error naming the row, never a trap inside the flow's kernels.
    @Test("a finite but enormous x is a typed error, not a crash", arguments: FlowArchitecture.Kind.allCases)
    func enormousX(_ kind: FlowArchitecture.Kind) throws {
        let architecture = EstimatorArchitecture(thetaSupports: [.logit(low: 0, high: 1), .identity], xCount: 4,
                                                 embedding: EmbeddingArchitecture(kind: .mlp, hiddenWidths: [8], outputCount: 4),
                                                 flowKind: kind, transforms: 2, hiddenWidths: [8, 8], bins: 4)
        let estimator = try NeuralPosteriorEstimator(
            architecture: architecture,
            standardization: Standardization(xMean: [0, 0, 0, 0], xScale: [1e-4, 1e-4, 1e-4, 1e-4], thetaMean: [0, 0], thetaScale: [1, 1]),
            stream: RandomStream(seed: 1))
        var x = Tensor.zeros([3, 4])
        x[1, 2] = 1e37
        #expect(throws: EstimatorError.inputOverflow(row: 1)) {
            _ = try estimator.sample(given: x, count: 10, stream: RandomStream(seed: 2))
        }
        #expect(throws: EstimatorError.inputOverflow(row: 1)) {
            _ = try estimator.logProbability(of: Tensor.zeros([3, 2]) + 0.5, given: x)
        }
    }
}
