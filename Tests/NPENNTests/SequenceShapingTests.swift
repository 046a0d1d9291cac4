import NPETensor
import NPETestSupport
import Testing
@testable import NPENN
import NPESupport

/// The U-Net's shape operations: exact values, and gradients against central finite differences (the
/// tolerances of `checkGradients`). The ops are linear, so the difference quotient is exact up to rounding.
@Test func channelConcatenationJoinsPerPosition() throws {
    let a = try Tensor(shape: [1, 2, 1], scalars: [1, 2]), b = try Tensor(shape: [1, 2, 2], scalars: [10, 11, 20, 21])
    let joined = try Variable.concatenateChannels([Variable(a), Variable(b)])
    #expect(joined.shape == [1, 2, 3])
    #expect(joined.value.scalars == [1, 10, 11, 2, 20, 21])
    try checkGradients("concatenateChannels", inputs: [testTensor([2, 3, 2], seed: 1), testTensor([2, 3, 1], seed: 2)]) {
        try Variable.concatenateChannels($0)
    }
    #expect(throws: TensorError.self) { try Variable.concatenateChannels([Variable(a), Variable(Tensor.zeros([1, 3, 1]))]) }
}

@Test func upsamplingRepeatsEachPosition() throws {
    let x = try Tensor(shape: [1, 2, 2], scalars: [1, 2, 3, 4])
    #expect(try Variable(x).upsampledLength(by: 2).value.scalars == [1, 2, 1, 2, 3, 4, 3, 4])
    #expect(try Variable(x).upsampledLength(by: 2).shape == [1, 4, 2])
    // The adjoint sums the copies' gradients: checked, not assumed.
    try checkGradients("upsampledLength", inputs: [testTensor([2, 3, 2], seed: 3)]) { try $0[0].upsampledLength(by: 3) }
}

@Test func paddingAndCroppingAreInverse() throws {
    let x = try Tensor(shape: [1, 2, 1], scalars: [5, 6])
    let padded = try Variable(x).paddedLength(by: 2)
    #expect(padded.shape == [1, 4, 1] && padded.value.scalars == [5, 6, 0, 0])
    #expect(try padded.croppedLength(to: 2).value.scalars == [5, 6])
    try checkGradients("pad then crop", inputs: [testTensor([2, 3, 2], seed: 4)]) {
        try $0[0].paddedLength(by: 1).croppedLength(to: 2)
    }
    #expect(throws: TensorError.self) { try Variable(x).croppedLength(to: 3) }
}

/// Instance normalisation gives each sample's channel zero mean and unit variance over the length, independent
/// of the other samples (unlike batch normalisation).
@Test func instanceNormalizationUsesEachSamplesOwnStatistics() throws {
    let layer = InstanceNormalization(channels: 2, affine: false)
    let x = testTensor([2, 7, 2], seed: 5)
    let y = try withoutGradient { try layer(Variable(x)) }.value
    for n in 0..<2 {
        for c in 0..<2 {
            let values = (0..<7).map { Double(y.scalars[(n * 7 + $0) * 2 + c]) }
            let mean = values.reduce(0, +) / 7
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 7
            #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-3, "sample \(n) channel \(c): mean \(mean), variance \(variance)")
        }
    }
    // Sample 0 alone normalises the same as in the batch.
    let alone = try withoutGradient { try layer(Variable(Tensor(shape: [1, 7, 2], scalars: Array(x.scalars[0..<14])))) }.value
    #expect(alone.scalars == Array(y.scalars[0..<14]))
}

/// A fresh residual block is the identity (its last scale starts at zero).
@Test func freshConvolutionalResidualBlockIsIdentity() throws {
    let block = try ConvolutionalResidualBlock(channels: 3, stream: RandomStream(seed: 6))
    let x = testTensor([2, 5, 3], seed: 7)
    #expect(try withoutGradient { try block(Variable(x)) }.value.scalars == x.scalars)
    #expect(throws: ModuleError.self) { try ConvolutionalResidualBlock(channels: 3, kernelSize: 2, stream: RandomStream(seed: 6)) }
}
