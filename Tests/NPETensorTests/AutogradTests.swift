import Testing
@testable import NPETensor
import NPETestSupport

@Test func noGradientModeRecordsNothing() throws {
    let w = Variable(testTensor([3, 3], seed: 1), requiresGradient: true)
    let x = Variable(testTensor([2, 3], seed: 2))
    let y = try withoutGradient { try Variable.matmul(x, w).tanh().sum() }
    #expect(!y.requiresGradient && y.isLeaf && y.inputs.isEmpty)
    #expect(throws: TensorError.self) { try y.backward() }
    // Recording resumes outside the scope.
    let z = try Variable.matmul(x, w).sum()
    #expect(z.requiresGradient && !z.isLeaf)
}

@Test func constantsAreNotRecorded() throws {
    let a = Variable(testTensor([2, 2], seed: 3)), b = Variable(testTensor([2, 2], seed: 4))
    let c = try a * b
    #expect(c.isLeaf && !c.requiresGradient)
}

@Test func leafGradientsAccumulateUntilZeroed() throws {
    let w = Variable(try Tensor(shape: [2], scalars: [1, 2]), requiresGradient: true)
    try (w * 3).sum().backward()
    try (w * 3).sum().backward()
    #expect(w.gradient?.scalars == [6, 6])
    w.zeroGradient()
    #expect(w.gradient == nil)
}

@Test func deepChainsDoNotOverflowTheStack() throws {
    // 20,000 recorded ops: the iterative topological sort must not recurse.
    let w = Variable(Tensor(repeating: 1, shape: [1]), requiresGradient: true)
    var y = w
    for _ in 0..<20_000 { y = try y * 1.0 }
    try y.sum().backward()
    #expect(w.gradient?.scalars == [1])
}

@Test func numericChecksNameTheOp() throws {
    let x = Variable(try Tensor(shape: [2], scalars: [-1, 1]), requiresGradient: true)
    #expect(throws: TensorError.nonFinite(op: "log", shape: [2])) { try NumericChecks.withChecks { try x.log() } }
    // Off again outside the scope: NaN passes through (the default, for speed).
    #expect(try x.log().value.scalars[0].isNaN)
}

@Test func backwardSeedShapeIsChecked() throws {
    let w = Variable(testTensor([2, 2], seed: 5), requiresGradient: true)
    let y = try w * 2
    #expect(throws: TensorError.shapeMismatch(op: "backward (seed)", lhs: [2, 2], rhs: [3])) {
        try y.backward(seed: Tensor.zeros([3]))
    }
    #expect(throws: TensorError.self) { try y.backward() }
}
