import Testing
@testable import NPETensor
import NPETestSupport

/// One gradient check per differentiable op, table-driven so that adding an op means adding a row.
struct GradientCase: CustomTestStringConvertible, Sendable {
    let name: String
    let inputs: @Sendable () -> [Tensor]
    let function: @Sendable ([Variable]) throws -> Variable
    var testDescription: String { name }

    static let all: [GradientCase] = [
        .init(name: "add same shape", inputs: { [testTensor([3, 4], seed: 1), testTensor([3, 4], seed: 2)] }) { try $0[0] + $0[1] },
        .init(name: "add row vector", inputs: { [testTensor([3, 4], seed: 1), testTensor([4], seed: 2)] }) { try $0[0] + $0[1] },
        .init(name: "add column vector", inputs: { [testTensor([3, 4], seed: 1), testTensor([3, 1], seed: 2)] }) { try $0[0] + $0[1] },
        .init(name: "add scalar tensor", inputs: { [testTensor([3, 4], seed: 1), testTensor([], seed: 2)] }) { try $0[0] + $0[1] },
        .init(name: "add rank-3 general broadcast", inputs: { [testTensor([2, 1, 4], seed: 1), testTensor([3, 1], seed: 2)] }) { try $0[0] + $0[1] },
        .init(name: "subtract row vector", inputs: { [testTensor([1, 4], seed: 3), testTensor([3, 4], seed: 4)] }) { try $0[0] - $0[1] },
        .init(name: "multiply column vector", inputs: { [testTensor([3, 4], seed: 5), testTensor([3, 1], seed: 6)] }) { try $0[0] * $0[1] },
        .init(name: "divide", inputs: { [testTensor([3, 4], seed: 7), testTensor([3, 4], seed: 8, positive: true)] }) { try $0[0] / $0[1] },
        .init(name: "divide by row", inputs: { [testTensor([3, 4], seed: 7), testTensor([4], seed: 8, positive: true)] }) { try $0[0] / $0[1] },
        .init(name: "relu", inputs: { [testTensor([4, 5], seed: 9, awayFromZero: true)] }) { try $0[0].relu() },
        .init(name: "elu", inputs: { [testTensor([4, 5], seed: 10, awayFromZero: true)] }) { try $0[0].elu() },
        .init(name: "leakyRelu", inputs: { [testTensor([4, 5], seed: 10, awayFromZero: true)] }) { try $0[0].apply(.leakyRelu(slope: 0.2)) },
        .init(name: "gelu", inputs: { [testTensor([4, 5], seed: 11)] }) { try $0[0].gelu() },
        .init(name: "tanh", inputs: { [testTensor([4, 5], seed: 12)] }) { try $0[0].tanh() },
        .init(name: "sigmoid", inputs: { [testTensor([4, 5], seed: 13)] }) { try $0[0].sigmoid() },
        .init(name: "softplus", inputs: { [testTensor([4, 5], seed: 14)] }) { try $0[0].softplus() },
        .init(name: "exp", inputs: { [testTensor([4, 5], seed: 15)] }) { try $0[0].exp() },
        .init(name: "log", inputs: { [testTensor([4, 5], seed: 16, positive: true)] }) { try $0[0].log() },
        .init(name: "square", inputs: { [testTensor([4, 5], seed: 17)] }) { try $0[0].squared() },
        .init(name: "sqrt", inputs: { [testTensor([4, 5], seed: 18, positive: true)] }) { try $0[0].squareRoot() },
        .init(name: "negate and scale", inputs: { [testTensor([4, 5], seed: 19)] }) { try -($0[0] * 1.5) + 0.25 },
        .init(name: "matmul", inputs: { [testTensor([3, 4], seed: 20), testTensor([4, 5], seed: 21)] }) { try Variable.matmul($0[0], $0[1]) },
        .init(name: "matmul transposeLHS", inputs: { [testTensor([4, 3], seed: 22), testTensor([4, 5], seed: 23)] }) { try Variable.matmul($0[0], $0[1], transposeLHS: true) },
        .init(name: "matmul transposeRHS", inputs: { [testTensor([3, 4], seed: 24), testTensor([5, 4], seed: 25)] }) { try Variable.matmul($0[0], $0[1], transposeRHS: true) },
        .init(name: "matmul both transposed", inputs: { [testTensor([4, 3], seed: 26), testTensor([5, 4], seed: 27)] }) { try Variable.matmul($0[0], $0[1], transposeLHS: true, transposeRHS: true) },
        .init(name: "affine with bias", inputs: { [testTensor([3, 4], seed: 28), testTensor([4, 5], seed: 29), testTensor([5], seed: 30)] }) { try Variable.affine($0[0], weight: $0[1], bias: $0[2]) },
        .init(name: "affine without bias", inputs: { [testTensor([3, 4], seed: 28), testTensor([4, 5], seed: 29)] }) { try Variable.affine($0[0], weight: $0[1], bias: nil) },
        .init(name: "sum axis 0", inputs: { [testTensor([3, 4], seed: 31)] }) { try $0[0].sum(alongAxis: 0) },
        .init(name: "sum axis -1", inputs: { [testTensor([3, 4], seed: 32)] }) { try $0[0].sum(alongAxis: -1) },
        .init(name: "sum all", inputs: { [testTensor([3, 4], seed: 33)] }) { try $0[0].sum() },
        .init(name: "mean axis 1 of rank 3", inputs: { [testTensor([2, 3, 4], seed: 34)] }) { try $0[0].mean(alongAxis: 1) },
        .init(name: "mean all", inputs: { [testTensor([3, 4], seed: 35)] }) { try $0[0].mean() },
        .init(name: "logSumExp axis 1", inputs: { [testTensor([3, 4], seed: 36)] }) { try $0[0].logSumExp(alongAxis: 1) },
        .init(name: "logSumExp axis 0", inputs: { [testTensor([3, 4], seed: 37)] }) { try $0[0].logSumExp(alongAxis: 0) },
        .init(name: "sliceColumns", inputs: { [testTensor([3, 6], seed: 38)] }) { try $0[0].sliceColumns(1..<4) },
        .init(name: "concatenateColumns", inputs: { [testTensor([3, 2], seed: 39), testTensor([3, 3], seed: 40)] }) { try Variable.concatenateColumns([$0[0], $0[1]]) },
        .init(name: "gatherRows with repeats", inputs: { [testTensor([4, 3], seed: 41)] }) { try $0[0].gatherRows([2, 0, 2, 3]) },
        .init(name: "reshape", inputs: { [testTensor([3, 4], seed: 42)] }) { try $0[0].reshaped([2, 6]).sliceColumns(0..<5) },
        .init(name: "im2col stride 2 padding 1", inputs: { [testTensor([2, 7, 3], seed: 47)] }) { try $0[0].im2col(ConvolutionGeometry(kernelSize: 3, stride: 2, padding: 1)) },
        .init(name: "composite: MLP-like", inputs: { [testTensor([5, 3], seed: 43), testTensor([3, 4], seed: 44), testTensor([4], seed: 45)] }) {
            try Variable.affine($0[0], weight: $0[1], bias: $0[2]).tanh().squared().mean()
        },
        .init(name: "composite: reused input", inputs: { [testTensor([3, 3], seed: 46)] }) { x in
            try (x[0] * x[0]) + Variable.matmul(x[0], x[0])
        },
    ]
}

@Test("gradient matches central finite differences", arguments: GradientCase.all)
func operationGradient(_ testCase: GradientCase) throws {
    try checkGradients(testCase.name, inputs: testCase.inputs(), testCase.function)
}
