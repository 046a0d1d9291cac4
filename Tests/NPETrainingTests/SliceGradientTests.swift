import Foundation
import NPEFlows
import NPENN
import NPETensor
import Testing
@testable import NPETraining
import NPESupport

/// Data parallelism rests on one identity: the gradient of the batch's summed loss equals the sum of the
/// gradients of its slices' summed losses (nothing in the network couples rows). Checked for every flow kind,
/// with context inputs and the noise level as an input, on a batch cut in two uneven slices.
@Test(arguments: FlowArchitecture.Kind.allCases)
func sliceGradientsSumToTheBatchGradient(kind: FlowArchitecture.Kind) throws {
    let architecture = EstimatorArchitecture(
        thetaSupports: [.logit(low: 0, high: 2), .identity, .log], xCount: 6, contextTransforms: [.log],
        noiseLevelInput: true, embedding: EmbeddingArchitecture(kind: .mlp, hiddenWidths: [16], outputCount: 8),
        flowKind: kind, transforms: 3, hiddenWidths: [16, 16], bins: 6)
    let estimator = try NeuralPosteriorEstimator(
        architecture: architecture,
        standardization: .identity(thetaCount: 3, xCount: 6, contextCount: 1), stream: RandomStream(seed: 8))
    let n = 40
    let stream = RandomStream(seed: 21)
    var thetaValues: [Float] = []
    for r in 0..<n {
        let u = (0..<3).map { stream.uniform(UInt64(3 * r + $0)) }
        thetaValues += [2 * u[0], 4 * u[1] - 2, 0.1 + 3 * u[2]]
    }
    let theta = try Tensor(shape: [n, 3], scalars: thetaValues)
    let x = try Tensor(shape: [n, 6], scalars: (0..<(6 * n)).map { 2 * stream.child(1).uniform(UInt64($0)) - 1 })
    let sigma = try Tensor(shape: [n, 6], scalars: (0..<(6 * n)).map { 0.05 + stream.child(2).uniform(UInt64($0)) })
    let context = try Tensor(shape: [n, 1], scalars: (0..<n).map { 0.5 + stream.child(3).uniform(UInt64($0)) })

    func gradients(_ rows: [Range<Int>]) throws -> [Float] {
        estimator.zeroGradients()
        for range in rows {
            let take = Array(range)
            let inputs = TrainingInputs(theta: try theta.gatherRows(take), x: try x.gatherRows(take),
                                        sigma: try sigma.gatherRows(take), context: try context.gatherRows(take))
            try (estimator.summedLoss(inputs) * (1 / Float(n))).backward()
        }
        return estimator.parameters.flatMap { $0.gradient?.scalars ?? [Float](repeating: 0, count: $0.value.count) }
    }
    let whole = try gradients([0..<n])
    let sliced = try gradients([0..<13, 13..<n])
    let scale = whole.map(abs).max() ?? 0
    let worst = zip(whole, sliced).map { abs($0 - $1) }.max() ?? 0
    // Float32 sums of 40 terms in another order differ by a few ulps of the largest partial sum: 1e-5 of the
    // largest gradient entry bounds that with margin, while a coupled row (or a slice scaled by its own size)
    // would be off by tens of percent.
    #expect(scale > 0)
    #expect(worst <= 1e-5 * scale, "\(kind): worst difference \(worst) against max |g| \(scale)")
}
