import Foundation
import NPETensor
import Testing
@testable import NPENN

@Test func adamFirstStepMovesEachCoordinateByTheLearningRate() throws {
    // After one step m̂ = g and v̂ = g², so Δθ = −η g/(|g| + ε) ≈ −η sign(g) for |g| ≫ ε.
    let theta = Variable(try Tensor(shape: [3], scalars: [1, -2, 3]), requiresGradient: true)
    let adam = Adam(parameters: [theta], learningRate: 0.1)
    try (theta * theta).sum().backward()  // g = 2θ
    adam.step()
    let expected: [Float] = [0.9, -1.9, 2.9]
    for i in 0..<3 { #expect(abs(theta.value.scalars[i] - expected[i]) < 1e-6) }
}

@Test func adamWDecaysWeightsIndependentlyOfTheGradientScale() throws {
    let theta = Variable(try Tensor(shape: [2], scalars: [2, -2]), requiresGradient: true)
    let adamW = AdamW(parameters: [theta], learningRate: 0.1, weightDecay: 0.5)
    try theta.setGradient(try Tensor(shape: [2], scalars: [1e-3, 1e3]))
    adamW.step()
    // θ ← θ(1 − ηλ) − η sign(g): 2·0.95 − 0.1 = 1.8 and −2·0.95 − 0.1 = −2.0.
    #expect(abs(theta.value.scalars[0] - 1.8) < 1e-5)
    #expect(abs(theta.value.scalars[1] + 2.0) < 1e-5)
}

@Test func adamMatchesAReferenceImplementationOverManySteps() throws {
    // A Double-precision transcription of Kingma & Ba's Algorithm 1 with L2 decay, on f(θ) = Σ θ⁴/4 − θ.
    let start: [Float] = [0.5, -1.5, 2.0]
    let theta = Variable(try Tensor(shape: [3], scalars: start), requiresGradient: true)
    let adam = Adam(parameters: [theta], learningRate: 0.05, weightDecay: 0.01)
    var reference = start.map(Double.init), m = [0.0, 0, 0], v = [0.0, 0, 0]
    for t in 1...50 {
        adam.zeroGradients()
        try (theta.squared().squared() * 0.25 - theta).sum().backward()
        adam.step()
        for i in 0..<3 {
            let g = pow(reference[i], 3) - 1 + 0.01 * reference[i]
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            let mHat = m[i] / (1 - pow(0.9, Double(t))), vHat = v[i] / (1 - pow(0.999, Double(t)))
            reference[i] -= 0.05 * mHat / (vHat.squareRoot() + 1e-8)
        }
    }
    // Float32 vs Double over 50 steps of size ≤ 0.05: agreement to 1e-4 is far above rounding drift (~1e-6).
    for i in 0..<3 { #expect(abs(Double(theta.value.scalars[i]) - reference[i]) < 1e-4) }
}

@Test func optimizerStateRoundTrips() throws {
    let a = Variable(try Tensor(shape: [2], scalars: [1, 2]), requiresGradient: true)
    let adam = Adam(parameters: [a])
    try a.squared().sum().backward()
    adam.step()
    let b = Variable(a.value, requiresGradient: true)
    let restored = Adam(parameters: [b])
    try restored.loadState(adam.stateDictionary())
    #expect(restored.stepCount == 1)
    for opt in [adam, restored] as [Adam] {
        opt.zeroGradients()
        try opt.parameters[0].squared().sum().backward()
        opt.step()
    }
    #expect(a.value == b.value)
}

@Test func clippingScalesToTheMaximumNorm() throws {
    let a = Variable(Tensor.zeros([2]), requiresGradient: true), b = Variable(Tensor.zeros([1]), requiresGradient: true)
    try a.setGradient(try Tensor(shape: [2], scalars: [3, 0]))
    try b.setGradient(try Tensor(shape: [1], scalars: [4]))
    let norm = clipGradientNorm([a, b], maxNorm: 1)
    #expect(norm == 5)
    #expect(abs(a.gradient!.scalars[0] - 0.6) < 1e-6 && abs(b.gradient!.scalars[0] - 0.8) < 1e-6)
    #expect(clipGradientNorm([a, b], maxNorm: 10) < 1.0001)  // under the limit: unchanged
}

@Test func schedules() {
    let cosine = CosineSchedule(base: 1, minimum: 0.1, totalSteps: 100)
    #expect(cosine.learningRate(atStep: 0) == 1)
    #expect(abs(cosine.learningRate(atStep: 50) - 0.55) < 1e-6)
    #expect(abs(cosine.learningRate(atStep: 100) - 0.1) < 1e-6)
    let warm = CosineSchedule(base: 1, totalSteps: 10, warmupSteps: 4)
    #expect(warm.learningRate(atStep: 0) == 0.25)

    var plateau = ReduceOnPlateau(learningRate: 1, factor: 0.5, patience: 2)
    for loss: Float in [3, 2, 2, 2] { _ = plateau.record(loss: loss) }
    #expect(plateau.learningRate == 1)  // two epochs without improvement: still patient
    #expect(plateau.record(loss: 2) == 0.5)  // the third one reduces
    #expect(plateau.record(loss: 1) == 0.5)
}
