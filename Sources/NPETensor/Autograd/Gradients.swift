import Foundation

/// Every backward rule of the engine, in one place so it can be audited against the forward definitions.
///
/// Notation: for an op y = f(a, b, …) with upstream gradient g = ∂L/∂y, each rule returns ∂L/∂a = g · ∂y/∂a
/// (a vector–Jacobian product). Broadcasting ops sum their gradients back to each input's shape
/// (``Tensor/summed(toShape:)``). Each rule is checked against central finite differences in the tests.
enum Gradients {
    static func vectorJacobianProducts(
        of operation: Operation, inputs x: [Tensor], output y: Tensor, outputGradient g: Tensor, needed: [Bool]
    ) throws -> [Tensor?] {
        func need(_ i: Int) -> Bool { needed[i] }
        switch operation {
        case .add:
            // y = a + b: ∂a = g, ∂b = g (each summed over its broadcast axes).
            return [need(0) ? g.summed(toShape: x[0].shape) : nil, need(1) ? g.summed(toShape: x[1].shape) : nil]
        case .subtract:
            // y = a − b: ∂a = g, ∂b = −g.
            return [need(0) ? g.summed(toShape: x[0].shape) : nil,
                    need(1) ? UnaryFunction.negate.apply(g).summed(toShape: x[1].shape) : nil]
        case .multiply:
            // y = a ⊙ b: ∂a = g ⊙ b, ∂b = g ⊙ a.
            return [need(0) ? try Tensor.binary(g, x[1], MultiplyFunction.self, op: "multiply′").summed(toShape: x[0].shape) : nil,
                    need(1) ? try Tensor.binary(g, x[0], MultiplyFunction.self, op: "multiply′").summed(toShape: x[1].shape) : nil]
        case .divide:
            // y = a / b: ∂a = g / b, ∂b = −g ⊙ y / b.
            let ga = need(0) ? try Tensor.binary(g, x[1], DivideFunction.self, op: "divide′").summed(toShape: x[0].shape) : nil
            var gb: Tensor?
            if need(1) {
                let gy = try Tensor.binary(g, y, MultiplyFunction.self, op: "divide′")
                gb = UnaryFunction.negate.apply(try Tensor.binary(gy, x[1], DivideFunction.self, op: "divide′"))
                    .summed(toShape: x[1].shape)
            }
            return [ga, gb]
        case let .unary(function):
            return [unaryGradient(function, input: x[0], output: y, gradient: g)]
        case let .matmul(ta, tb):
            // C = op(A)·op(B). With G = ∂L/∂C: for C = A B, ∂A = G Bᵀ and ∂B = Aᵀ G; the transposed forms
            // follow by transposing those identities.
            var ga: Tensor?, gb: Tensor?
            switch (ta, tb) {
            case (false, false):
                if need(0) { ga = try Tensor.matmul(g, x[1], transposeRHS: true) }
                if need(1) { gb = try Tensor.matmul(x[0], g, transposeLHS: true) }
            case (true, false):
                if need(0) { ga = try Tensor.matmul(x[1], g, transposeRHS: true) }
                if need(1) { gb = try Tensor.matmul(x[0], g) }
            case (false, true):
                if need(0) { ga = try Tensor.matmul(g, x[1]) }
                if need(1) { gb = try Tensor.matmul(g, x[0], transposeLHS: true) }
            case (true, true):
                if need(0) { ga = try Tensor.matmul(x[1], g, transposeLHS: true, transposeRHS: true) }
                if need(1) { gb = try Tensor.matmul(g, x[0], transposeLHS: true, transposeRHS: true) }
            }
            return [ga, gb]
        case .affine:
            // y = x W + b: ∂x = G Wᵀ, ∂W = xᵀ G, ∂b = Σ_rows G.
            var result: [Tensor?] = [
                need(0) ? try Tensor.matmul(g, x[1], transposeRHS: true) : nil,
                need(1) ? try Tensor.matmul(x[0], g, transposeLHS: true) : nil,
            ]
            if x.count == 3 { result.append(need(2) ? try g.columnSums().reshaped(x[2].shape) : nil) }
            return result
        case let .sum(axis):
            // y = Σ_axis x: ∂x = g repeated along the axis.
            return [g.expanded(alongAxis: axis, extent: x[0].shape[axis], to: x[0].shape)]
        case .sumAll:
            return [Tensor(repeating: g.scalarValue, shape: x[0].shape)]
        case let .mean(axis):
            let extent = x[0].shape[axis]
            return [UnaryFunction.scale(1 / Float(max(extent, 1))).apply(g.expanded(alongAxis: axis, extent: extent, to: x[0].shape))]
        case .meanAll:
            return [Tensor(repeating: g.scalarValue / Float(max(x[0].count, 1)), shape: x[0].shape)]
        case let .logSumExp(axis):
            // y = log Σ exp x: ∂x = g ⊙ softmax(x) = g ⊙ exp(x − y).
            let extent = x[0].shape[axis]
            let yExpanded = y.expanded(alongAxis: axis, extent: extent, to: x[0].shape)
            let gExpanded = g.expanded(alongAxis: axis, extent: extent, to: x[0].shape)
            var out = gExpanded
            out.scalars.withUnsafeMutableBufferPointer { o in
                x[0].scalars.withUnsafeBufferPointer { xs in
                    yExpanded.scalars.withUnsafeBufferPointer { ys in
                        for i in 0..<o.count { o[i] = ys[i].isFinite ? o[i] * expf(xs[i] - ys[i]) : 0 }
                    }
                }
            }
            return [out]
        case let .sliceColumns(range):
            return [g.paddedColumns(offset: range.lowerBound, total: x[0].shape[1])]
        case .concatenateColumns:
            var offset = 0
            return try x.enumerated().map { i, part in
                defer { offset += part.shape[1] }
                return need(i) ? try g.sliceColumns(offset..<(offset + part.shape[1])) : nil
            }
        case let .gatherRows(indices):
            return [g.scatterAddRows(indices, into: x[0].shape)]
        case .reshape:
            return [try g.reshaped(x[0].shape)]
        case let .im2col(geometry):
            // im2col copies each input element into every patch that covers it, so its adjoint sums them back.
            return [g.col2im(geometry, inputShape: x[0].shape)]
        case let .im2col2d(geometry):
            // The same in 2-D: each image pixel is summed back from every window that covers it.
            return [try g.col2im2d(geometry, imageShape: x[0].shape)]
        case let .col2im2d(geometry, _):
            // col2im2d is linear with im2col2d as its adjoint, so its vector–Jacobian product is im2col2d of g.
            return [try g.im2col2d(geometry)]
        case let .custom(op):
            return try op.vectorJacobianProducts(inputs: x, output: y, outputGradient: g, needed: needed)
        }
    }

    /// g ⊙ f′(x) for each elementwise function, using the saved output y where that is cheaper.
    static func unaryGradient(_ function: UnaryFunction, input: Tensor, output: Tensor, gradient: Tensor) -> Tensor {
        var out = gradient
        let count = out.count
        out.scalars.withUnsafeMutableBufferPointer { o in
            input.scalars.withUnsafeBufferPointer { x in
                output.scalars.withUnsafeBufferPointer { y in
                    switch function {
                    case .relu: for i in 0..<count { o[i] = x[i] > 0 ? o[i] : 0 }  // a select, so it vectorises
                    case let .elu(alpha): for i in 0..<count where x[i] <= 0 { o[i] *= y[i] + alpha }
                    case let .leakyRelu(slope): for i in 0..<count where x[i] <= 0 { o[i] *= slope }
                    case .gelu:
                        // d/dx [x Φ(x)] = Φ(x) + x φ(x).
                        for i in 0..<count {
                            let cdf = 0.5 * (1 + erff(x[i] * 0.70710678118654752))
                            let pdf = expf(-0.5 * x[i] * x[i]) * 0.39894228040143268
                            o[i] *= cdf + x[i] * pdf
                        }
                    case .tanh: for i in 0..<count { o[i] *= 1 - y[i] * y[i] }
                    case .sigmoid: for i in 0..<count { o[i] *= y[i] * (1 - y[i]) }
                    case .softplus: for i in 0..<count { o[i] *= UnaryFunction.sigmoid(x[i]) }
                    case .exp: for i in 0..<count { o[i] *= y[i] }
                    case .log: for i in 0..<count { o[i] /= x[i] }
                    case .square: for i in 0..<count { o[i] *= 2 * x[i] }
                    case .sqrt: for i in 0..<count { o[i] *= 0.5 / y[i] }
                    case .negate: for i in 0..<count { o[i] = -o[i] }
                    case let .scale(s): for i in 0..<count { o[i] *= s }
                    case .shift: break
                    }
                }
            }
        }
        return out
    }
}
