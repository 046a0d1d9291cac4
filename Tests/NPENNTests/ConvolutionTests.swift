import NPETensor
import NPETestSupport
import Testing
@testable import NPENN
import NPESupport

/// The 2-D layers (convolutions, batch normalisation) against finite differences, with the tolerances argued in
/// `checkParameterGradients`. Inputs are O(1) normal draws and every layer here is smooth, so no kinks apply.
struct ImageLayerCase: CustomTestStringConvertible, @unchecked Sendable {
    let name: String
    let inputShape: [Int]
    let make: () throws -> (Module, (Variable) throws -> Variable)
    var testDescription: String { name }

    static let all: [ImageLayerCase] = [
        ImageLayerCase(name: "Conv2d k3 s1 p1", inputShape: [2, 5, 4, 2]) {
            let c = Conv2d(inChannels: 2, outChannels: 3, geometry: ConvolutionGeometry(kernelSize: 3, stride: 1, padding: 1),
                           stream: RandomStream(seed: 21))
            return (c, { try c($0) })
        },
        ImageLayerCase(name: "Conv2d k4 s2 p1", inputShape: [2, 6, 6, 2]) {
            let c = Conv2d(inChannels: 2, outChannels: 3, geometry: ConvolutionGeometry(kernelSize: 4, stride: 2, padding: 1),
                           stream: RandomStream(seed: 22))
            return (c, { try c($0) })
        },
        ImageLayerCase(name: "ConvTranspose2d k4 s2 p1", inputShape: [2, 3, 3, 3]) {
            let c = ConvTranspose2d(inChannels: 3, outChannels: 2, geometry: ConvolutionGeometry(kernelSize: 4, stride: 2, padding: 1),
                                    stream: RandomStream(seed: 23))
            return (c, { try c($0) })
        },
        ImageLayerCase(name: "ConvTranspose2d k3 s1 p0", inputShape: [1, 2, 3, 2]) {
            let c = ConvTranspose2d(inChannels: 2, outChannels: 2, geometry: ConvolutionGeometry(kernelSize: 3),
                                    stream: RandomStream(seed: 24))
            return (c, { try c($0) })
        },
        ImageLayerCase(name: "BatchNormalization training, images", inputShape: [3, 3, 2, 4]) {
            let n = try perturbedBatchNormalization(channels: 4, seed: 25)
            return (n, { try n($0) })
        },
        ImageLayerCase(name: "BatchNormalization training, rows", inputShape: [6, 3]) {
            let n = try perturbedBatchNormalization(channels: 3, seed: 26)
            return (n, { try n($0) })
        },
        ImageLayerCase(name: "BatchNormalization evaluation", inputShape: [4, 3]) {
            let n = try perturbedBatchNormalization(channels: 3, seed: 27)
            try n.runningMean.assign(Tensor(shape: [3], scalars: [0.3, -0.2, 1.0]))
            try n.runningVariance.assign(Tensor(shape: [3], scalars: [0.5, 2.0, 1.5]))
            n.mode = .evaluation
            return (n, { try n($0) })
        },
    ]
}

/// γ and β away from 1 and 0, so a bug that confuses them (or drops one) shows in the gradient.
func perturbedBatchNormalization(channels: Int, seed: UInt64) throws -> BatchNormalization {
    let n = BatchNormalization(channels: channels)
    try n.scale.assign(RandomStream(seed: seed).normalTensor([channels], scale: 0.5) + 1)
    try n.offset.assign(RandomStream(seed: seed + 100).normalTensor([channels]))
    return n
}

@Test("image layer gradients match finite differences", arguments: ImageLayerCase.all)
func imageLayerGradients(_ testCase: ImageLayerCase) throws {
    let (module, forward) = try testCase.make()
    try checkParameterGradients(testCase.name, parameters: module.namedParameters,
                                input: testTensor(testCase.inputShape, seed: 78), forward)
}

/// Conv2d against the definition y[b, i, j, o] = bias[o] + Σ_{u, v, c} x[b, i·s − p + u, j·s − p + v, c] ·
/// w[(u·k + v)·C + c, o], summed in Double. The gradient checks only show that backward matches forward; this
/// shows forward is a convolution. Float32 sgemm over 18 terms of O(1): 1e-5 is ~100 ulps of headroom.
@Test func conv2dMatchesTheDirectSum() throws {
    let geometry = ConvolutionGeometry(kernelSize: 3, stride: 2, padding: 1)
    let conv = Conv2d(inChannels: 2, outChannels: 3, geometry: geometry, stream: RandomStream(seed: 31))
    let x = testTensor([2, 5, 6, 2], seed: 32)
    let y = try conv(Variable(x)).value
    #expect(y.shape == [2, 3, 3, 3])
    let w = conv.weight.value, b = conv.bias.value
    for batch in 0..<2 { for i in 0..<3 { for j in 0..<3 { for o in 0..<3 {
        var sum = Double(b.scalars[o])
        for u in 0..<3 { for v in 0..<3 { for c in 0..<2 {
            let (row, column) = (i * 2 - 1 + u, j * 2 - 1 + v)
            guard (0..<5).contains(row), (0..<6).contains(column) else { continue }
            sum += Double(x.scalars[((batch * 5 + row) * 6 + column) * 2 + c]) * Double(w[(u * 3 + v) * 2 + c, o])
        } } }
        #expect(abs(Double(y.scalars[((batch * 3 + i) * 3 + j) * 3 + o]) - sum) < 1e-5)
    } } } }
}

/// ConvTranspose2d is the adjoint of Conv2d: with the transposed weight and no bias, ⟨conv(a), b⟩ = ⟨a, convᵀ(b)⟩.
/// Both sides are sums of ~200 float products of O(1) terms; 1e-4 absolute covers Float32 rounding.
@Test func transposedConvolutionIsTheAdjoint() throws {
    let geometry = ConvolutionGeometry(kernelSize: 4, stride: 2, padding: 1)
    let conv = Conv2d(inChannels: 2, outChannels: 3, geometry: geometry, stream: RandomStream(seed: 33))
    let transposed = ConvTranspose2d(inChannels: 3, outChannels: 2, geometry: geometry, stream: RandomStream(seed: 34))
    try transposed.weight.assign(conv.weight.value.transposed())
    try conv.bias.assign(Tensor.zeros([3]))
    try transposed.bias.assign(Tensor.zeros([2]))
    let a = testTensor([2, 6, 6, 2], seed: 35), b = testTensor([2, 3, 3, 3], seed: 36)
    let convA = try conv(Variable(a)).value, transposedB = try transposed(Variable(b)).value
    #expect(transposedB.shape == a.shape)
    let lhs = zip(convA.scalars, b.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    let rhs = zip(a.scalars, transposedB.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    #expect(abs(lhs - rhs) < 1e-4)
}
