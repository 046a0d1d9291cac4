/// The ops the tape records. Each case carries what its backward rule needs beyond the input and output values;
/// the rules themselves are all in ``Gradients``.
enum Operation {
    case add, subtract, multiply, divide
    case unary(UnaryFunction)
    case matmul(transposeLHS: Bool, transposeRHS: Bool)
    /// `x · W + b`; inputs `[x, W]` or `[x, W, b]`.
    case affine
    case sum(axis: Int)
    case sumAll
    case mean(axis: Int)
    case meanAll
    case logSumExp(axis: Int)
    case sliceColumns(Range<Int>)
    case concatenateColumns
    case gatherRows([Int])
    case reshape
    case im2col(ConvolutionGeometry)
    /// 2-D patch lowering of an NHWC image.
    case im2col2d(ConvolutionGeometry)
    /// Its adjoint: scatter-add of a patch matrix into an NHWC image of the given shape.
    case col2im2d(ConvolutionGeometry, imageShape: [Int])
    /// A fused op defined elsewhere, with its own rule (see ``DifferentiableOperation``).
    case custom(any DifferentiableOperation)

    var name: String {
        switch self {
        case .add: return "add"
        case .subtract: return "subtract"
        case .multiply: return "multiply"
        case .divide: return "divide"
        case let .unary(f): return f.name
        case .matmul: return "matmul"
        case .affine: return "linear"
        case .sum, .sumAll: return "sum"
        case .mean, .meanAll: return "mean"
        case .logSumExp: return "logSumExp"
        case .sliceColumns: return "sliceColumns"
        case .concatenateColumns: return "concatenateColumns"
        case .gatherRows: return "gatherRows"
        case .reshape: return "reshape"
        case .im2col: return "im2col"
        case .im2col2d: return "im2col2d"
        case .col2im2d: return "col2im2d"
        case let .custom(op): return op.name
        }
    }
}

/// A fused, differentiable op whose forward and vector–Jacobian product are written together by hand, for
/// kernels where composing primitives would cost too many passes (rational-quadratic splines, for example).
/// Every conformer must pass the same finite-difference gradient check as the built-in ops.
public protocol DifferentiableOperation {
    var name: String { get }
    /// Gradients with respect to each input (nil where `needed[i]` is false), given the output gradient.
    func vectorJacobianProducts(
        inputs: [Tensor], output: Tensor, outputGradient: Tensor, needed: [Bool]
    ) throws -> [Tensor?]
}
