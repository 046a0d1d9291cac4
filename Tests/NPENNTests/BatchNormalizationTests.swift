import NPETensor
import NPETestSupport
import Testing
@testable import NPENN
import NPESupport

/// Training mode normalises each channel to mean β and standard deviation |γ| (up to ε), and updates the running
/// statistics with momentum 0.1 and the unbiased variance.
@Test func batchNormalizationStatisticsAndRunningUpdate() throws {
    let norm = BatchNormalization(channels: 2)
    // Channel 0: 1, 3, 5, 7 (mean 4, biased var 5, unbiased 20/3); channel 1: constant 2 (var 0).
    let x = try Tensor(shape: [2, 2, 1, 2], scalars: [1, 2, 3, 2, 5, 2, 7, 2])
    let y = try norm(Variable(x)).value
    let expected: [Float] = [-3, -1, 1, 3].map { $0 / (5 + 1e-5).squareRoot() }
    for (i, e) in expected.enumerated() {
        #expect(abs(y.scalars[2 * i] - e) < 1e-5)  // Float32 normalisation of O(1) values
        #expect(y.scalars[2 * i + 1] == 0)  // a constant channel maps exactly to β = 0
    }
    #expect(abs(norm.runningMean.value.scalars[0] - 0.4) < 1e-6)
    #expect(abs(norm.runningMean.value.scalars[1] - 0.2) < 1e-6)
    #expect(abs(norm.runningVariance.value.scalars[0] - (0.9 + 0.1 * 20 / 3)) < 1e-5)
    #expect(abs(norm.runningVariance.value.scalars[1] - 0.9) < 1e-6)
}

/// Evaluation mode uses the running statistics and leaves them alone.
@Test func batchNormalizationEvaluationUsesRunningStatistics() throws {
    let norm = BatchNormalization(channels: 1)
    try norm.runningMean.assign(Tensor(shape: [1], scalars: [2]))
    try norm.runningVariance.assign(Tensor(shape: [1], scalars: [4]))
    try norm.scale.assign(Tensor(shape: [1], scalars: [3]))
    try norm.offset.assign(Tensor(shape: [1], scalars: [1]))
    norm.mode = .evaluation
    let y = try norm(Variable(try Tensor(shape: [2, 1], scalars: [2, 6]))).value
    #expect(abs(y.scalars[0] - 1) < 1e-5)
    #expect(abs(y.scalars[1] - (1 + 3 * 4 / (4 + 1e-5).squareRoot())) < 1e-5)
    #expect(norm.runningMean.value.scalars == [2])
    #expect(norm.runningVariance.value.scalars == [4])
}

/// Running statistics are buffers: saved in the dictionary, restored by `load`, never handed to the optimizer.
@Test func batchNormalizationBuffersRoundTripThroughTheDictionary() throws {
    let source = BatchNormalization(channels: 3)
    _ = try source(Variable(testTensor([5, 3], seed: 41)))
    let dictionary = source.parameterDictionary()
    #expect(Set(dictionary.keys) == ["scale", "offset", "runningMean", "runningVariance"])
    #expect(source.parameters.count == 2)
    let target = BatchNormalization(channels: 3)
    try target.load(dictionary)
    #expect(target.runningMean.value == source.runningMean.value)
    #expect(target.runningVariance.value == source.runningVariance.value)
    var partial = dictionary
    partial["runningMean"] = nil
    #expect(throws: ModuleError.missingParameter("runningMean")) { try target.load(partial) }
}

/// A single value per channel has no variance to normalise by: a typed error, not NaN.
@Test func batchNormalizationRejectsOneValuePerChannel() throws {
    let norm = BatchNormalization(channels: 2)
    #expect(throws: ModuleError.self) { try norm(Variable(Tensor.zeros([1, 2]))) }
}

/// Frozen parameters get no gradient while the input still does, and their flags come back afterwards.
@Test func frozenParametersReceiveNoGradient() throws {
    let layer = Linear(inputs: 3, outputs: 2, stream: RandomStream(seed: 50))
    let x = Variable(testTensor([4, 3], seed: 51), requiresGradient: true)
    try layer.withFrozenParameters { try layer(x).sum().backward() }
    #expect(x.gradient != nil)
    #expect(layer.parameters.allSatisfy { $0.gradient == nil })
    #expect(layer.parameters.allSatisfy { $0.requiresGradient })
    let y = Variable(testTensor([4, 3], seed: 51), requiresGradient: true)
    try layer(y).sum().backward()
    let difference = try y.gradient!.maxAbsoluteDifference(x.gradient!)
    #expect(difference == 0)  // the same input gradient with or without the weights' gradients
    #expect(layer.parameters.allSatisfy { $0.gradient != nil })
}
