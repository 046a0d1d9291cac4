import NPETensor
import NPETestSupport
import Testing
@testable import NPENN
import NPESupport

/// Every layer's gradients (input and all parameters) against central finite differences, see
/// `checkParameterGradients` for the tolerance argument. Smooth activations (tanh, gelu) avoid ReLU kinks,
/// which a difference quotient cannot see past.
struct LayerCase: CustomTestStringConvertible, @unchecked Sendable {
    let name: String
    let inputShape: [Int]
    let make: () throws -> (Module, (Variable) throws -> Variable)
    var testDescription: String { name }

    static let all: [LayerCase] = [
        LayerCase(name: "Linear", inputShape: [4, 3]) {
            let l = Linear(inputs: 3, outputs: 5, stream: RandomStream(seed: 1))
            return (l, { try l($0) })
        },
        LayerCase(name: "MaskedLinear", inputShape: [4, 3]) {
            let mask = try Tensor(rows: [[1, 0, 1, 1], [0, 1, 1, 0], [1, 1, 0, 1]])
            let l = try MaskedLinear(mask: mask, stream: RandomStream(seed: 2))
            return (l, { try l($0) })
        },
        LayerCase(name: "MLP tanh", inputShape: [5, 3]) {
            let m = try MLP(sizes: [3, 6, 6, 2], activation: .tanh, stream: RandomStream(seed: 3))
            return (m, { try m($0) })
        },
        LayerCase(name: "ResidualBlock gelu + layer norm", inputShape: [5, 4]) {
            let b = try ResidualBlock(features: 4, hidden: 6, activation: .gelu, layerNorm: true, stream: RandomStream(seed: 4))
            // A fresh block has a zero second layer; perturb it so every parameter gets a nonzero gradient.
            try b.second.weight.assign(RandomStream(seed: 40).normalTensor(b.second.weight.shape, scale: 0.5))
            return (b, { try b($0) })
        },
        LayerCase(name: "LayerNormalization", inputShape: [5, 6]) {
            let n = LayerNormalization(features: 6)
            try n.scale.assign(RandomStream(seed: 5).normalTensor([6]))
            return (n, { try n($0) })
        },
        LayerCase(name: "Conv1d k3 s2 p1", inputShape: [2, 9, 2]) {
            let c = Conv1d(inChannels: 2, outChannels: 3, geometry: ConvolutionGeometry(kernelSize: 3, stride: 2, padding: 1),
                           stream: RandomStream(seed: 6))
            return (c, { try c($0) })
        },
        LayerCase(name: "InstanceNormalization", inputShape: [3, 5, 2]) {
            let n = InstanceNormalization(channels: 2)
            try n.scale?.assign(RandomStream(seed: 12).normalTensor([2]))
            try n.offset?.assign(RandomStream(seed: 13).normalTensor([2]))
            return (n, { try n($0) })
        },
        LayerCase(name: "InstanceNormalization over features", inputShape: [3, 6]) {
            let n = InstanceNormalization(channels: 1)
            try n.scale?.assign(Tensor(repeating: 1.7, shape: [1]))
            return (n, { try n.normalizingFeatures($0) })
        },
        LayerCase(name: "ConvolutionalResidualBlock", inputShape: [2, 6, 3]) {
            let b = try ConvolutionalResidualBlock(channels: 3, activation: .gelu, stream: RandomStream(seed: 14))
            // A fresh block's second normalisation has scale 0; give it one so every parameter gets a gradient.
            try b.secondNormalization.scale?.assign(RandomStream(seed: 15).normalTensor([3]))
            return (b, { try b($0) })
        },
    ]
}

@Test("layer gradients match finite differences", arguments: LayerCase.all)
func layerGradients(_ testCase: LayerCase) throws {
    let (module, forward) = try testCase.make()
    try checkParameterGradients(testCase.name, parameters: module.namedParameters,
                                input: testTensor(testCase.inputShape, seed: 77), forward)
}

@Test func maskedWeightsNeitherMatterNorLearn() throws {
    // Output 0 may only see input 0 (mask column 0 = [1, 0]).
    let layer = try MaskedLinear(mask: try Tensor(rows: [[1, 1], [0, 1]]), stream: RandomStream(seed: 8))
    let a = try layer(Variable(try Tensor(rows: [[0.3, 1.0]])))
    let b = try layer(Variable(try Tensor(rows: [[0.3, -5.0]])))
    #expect(a.value[0, 0] == b.value[0, 0])
    #expect(a.value[0, 1] != b.value[0, 1])
    try layer(Variable(testTensor([3, 2], seed: 9))).sum().backward()
    #expect(layer.weight.gradient?[1, 0] == 0)
}

@Test func conv1dMatchesDirectConvolution() throws {
    let geometry = ConvolutionGeometry(kernelSize: 3, stride: 1, padding: 1)
    let conv = Conv1d(inChannels: 2, outChannels: 2, geometry: geometry, stream: RandomStream(seed: 10))
    let x = testTensor([1, 5, 2], seed: 11)
    let y = try withoutGradient { try conv(Variable(x)) }.value
    #expect(y.shape == [1, 5, 2])
    for t in 0..<5 {
        for o in 0..<2 {
            var total = Double(conv.bias.value.scalars[o])
            for j in 0..<3 {
                let position = t - 1 + j
                guard position >= 0, position < 5 else { continue }
                for c in 0..<2 {
                    total += Double(x.scalars[position * 2 + c]) * Double(conv.weight.value[j * 2 + c, o])
                }
            }
            #expect(abs(Double(y.scalars[t * 2 + o]) - total) < 1e-5)
        }
    }
}

@Test func badInputShapesAreTypedErrors() throws {
    let linear = Linear(inputs: 3, outputs: 2, stream: RandomStream(seed: 1))
    #expect(throws: TensorError.shapeMismatch(op: "linear (x · weight)", lhs: [4, 5], rhs: [3, 2])) {
        try linear(Variable(Tensor.zeros([4, 5])))
    }
    #expect(throws: ModuleError.self) { try MLP(sizes: [3], stream: RandomStream(seed: 1)) }
}
