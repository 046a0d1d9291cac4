import NPEFlows
import NPENN
import NPETensor
import NPESupport

/// A minimal training loop for the tests (the real one is NPETraining's): Adam with a cosine schedule over
/// shuffled minibatches (with the per-bin noise level `sigma` `[n, M]` when the estimator takes it). Returns the
/// mean loss of the last 50 steps.
@discardableResult
func train(_ estimator: NeuralPosteriorEstimator, theta: Tensor, x: Tensor, sigma: Tensor? = nil, steps: Int,
           batch: Int = 256, learningRate: Float = 2e-3, seed: UInt64 = 1) throws -> Float {
    let adam = Adam(parameters: estimator.parameters, learningRate: learningRate)
    let schedule = CosineSchedule(base: learningRate, minimum: learningRate * 0.02, totalSteps: steps, warmupSteps: 0)
    let n = theta.shape[0]
    var generator = PhiloxGenerator(seed: seed)
    var order = Array(0..<n)
    var position = n
    var recent: [Float] = []
    for step in 0..<steps {
        if position + batch > n { order.shuffle(using: &generator); position = 0 }
        let rows = Array(order[position..<(position + batch)])
        position += batch
        adam.zeroGradients()
        let loss = try estimator.loss(theta: theta.gatherRows(rows), x: x.gatherRows(rows), sigma: sigma?.gatherRows(rows))
        try loss.backward()
        clipGradientNorm(adam.parameters, maxNorm: 5)
        adam.learningRate = schedule.learningRate(atStep: step)
        adam.step()
        recent.append(loss.value.scalarValue)
        if recent.count > 50 { recent.removeFirst() }
    }
    return recent.reduce(0, +) / Float(max(recent.count, 1))
}
