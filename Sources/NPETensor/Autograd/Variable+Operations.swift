/// The differentiable ops: each computes its forward value with a ``Tensor`` kernel and records itself (see
/// ``Variable``). Backward rules are in ``Gradients``.
extension Variable {
    /// Wraps a forward result: records `operation` when gradient mode is on and an input needs a gradient.
    static func record(_ value: Tensor, _ operation: Operation, _ inputs: [Variable]) throws -> Variable {
        if NumericChecks.isEnabled, value.hasNonFinite {
            throw TensorError.nonFinite(op: operation.name, shape: value.shape)
        }
        if GradientMode.isEnabled, inputs.contains(where: \.requiresGradient) {
            return Variable(value: value, operation: operation, inputs: inputs)
        }
        return Variable(value)
    }

    /// Runs a fused op defined outside the engine: `forward` computes the value, and `operation` supplies the
    /// vector–Jacobian product.
    public static func custom(
        _ operation: any DifferentiableOperation, inputs: [Variable], forward: ([Tensor]) throws -> Tensor
    ) throws -> Variable {
        try record(forward(inputs.map(\.value)), .custom(operation), inputs)
    }

    // MARK: Elementwise with broadcasting

    public static func + (lhs: Variable, rhs: Variable) throws -> Variable {
        try record(Tensor.binary(lhs.value, rhs.value, AddFunction.self, op: "add"), .add, [lhs, rhs])
    }
    public static func - (lhs: Variable, rhs: Variable) throws -> Variable {
        try record(Tensor.binary(lhs.value, rhs.value, SubtractFunction.self, op: "subtract"), .subtract, [lhs, rhs])
    }
    public static func * (lhs: Variable, rhs: Variable) throws -> Variable {
        try record(Tensor.binary(lhs.value, rhs.value, MultiplyFunction.self, op: "multiply"), .multiply, [lhs, rhs])
    }
    public static func / (lhs: Variable, rhs: Variable) throws -> Variable {
        try record(Tensor.binary(lhs.value, rhs.value, DivideFunction.self, op: "divide"), .divide, [lhs, rhs])
    }
    public static func * (lhs: Variable, rhs: Float) throws -> Variable { try lhs.apply(.scale(rhs)) }
    public static func + (lhs: Variable, rhs: Float) throws -> Variable { try lhs.apply(.shift(rhs)) }
    public static prefix func - (operand: Variable) throws -> Variable { try operand.apply(.negate) }

    /// An elementwise function (activations, exp, log, …).
    public func apply(_ function: UnaryFunction) throws -> Variable {
        try Variable.record(function.apply(value), .unary(function), [self])
    }
    public func relu() throws -> Variable { try apply(.relu) }
    public func elu(alpha: Float = 1) throws -> Variable { try apply(.elu(alpha: alpha)) }
    public func gelu() throws -> Variable { try apply(.gelu) }
    public func tanh() throws -> Variable { try apply(.tanh) }
    public func sigmoid() throws -> Variable { try apply(.sigmoid) }
    public func softplus() throws -> Variable { try apply(.softplus) }
    public func exp() throws -> Variable { try apply(.exp) }
    public func log() throws -> Variable { try apply(.log) }
    public func squared() throws -> Variable { try apply(.square) }
    public func squareRoot() throws -> Variable { try apply(.sqrt) }

    // MARK: Linear algebra

    /// `op(lhs) · op(rhs)`, see ``Tensor/matmul(_:_:transposeLHS:transposeRHS:)``.
    public static func matmul(
        _ lhs: Variable, _ rhs: Variable, transposeLHS: Bool = false, transposeRHS: Bool = false
    ) throws -> Variable {
        try record(
            Tensor.matmul(lhs.value, rhs.value, transposeLHS: transposeLHS, transposeRHS: transposeRHS),
            .matmul(transposeLHS: transposeLHS, transposeRHS: transposeRHS), [lhs, rhs])
    }

    /// `x · W + b`, fused (see ``Tensor/affine(_:weight:bias:)``). `x` `[n, in]`, `weight` `[in, out]`,
    /// `bias` `[out]`.
    public static func affine(_ x: Variable, weight: Variable, bias: Variable?) throws -> Variable {
        let value = try Tensor.affine(x.value, weight: weight.value, bias: bias?.value)
        return try record(value, .affine, bias.map { [x, weight, $0] } ?? [x, weight])
    }

    // MARK: Reductions

    /// Σ over `axis` (removed).
    public func sum(alongAxis axis: Int) throws -> Variable {
        let a = try value.checkedAxis(axis, op: "sum")
        return try Variable.record(value.sum(alongAxis: a), .sum(axis: a), [self])
    }
    /// Σ of all elements (rank 0).
    public func sum() throws -> Variable { try Variable.record(value.sum(), .sumAll, [self]) }
    /// Mean over `axis` (removed).
    public func mean(alongAxis axis: Int) throws -> Variable {
        let a = try value.checkedAxis(axis, op: "mean")
        return try Variable.record(value.mean(alongAxis: a), .mean(axis: a), [self])
    }
    /// Mean of all elements (rank 0).
    public func mean() throws -> Variable { try Variable.record(value.mean(), .meanAll, [self]) }
    /// log Σ exp over `axis` (removed), max-stabilised.
    public func logSumExp(alongAxis axis: Int) throws -> Variable {
        let a = try value.checkedAxis(axis, op: "logSumExp")
        return try Variable.record(value.logSumExp(alongAxis: a), .logSumExp(axis: a), [self])
    }

    // MARK: Shape and indexing

    public func sliceColumns(_ range: Range<Int>) throws -> Variable {
        try Variable.record(value.sliceColumns(range), .sliceColumns(range), [self])
    }
    public static func concatenateColumns(_ parts: [Variable]) throws -> Variable {
        try record(Tensor.concatenateColumns(parts.map(\.value)), .concatenateColumns, parts)
    }
    public func gatherRows(_ indices: [Int]) throws -> Variable {
        try Variable.record(value.gatherRows(indices), .gatherRows(indices), [self])
    }
    public func reshaped(_ shape: [Int]) throws -> Variable {
        try Variable.record(value.reshaped(shape), .reshape, [self])
    }

    /// Patch matrix for 1-D convolution, see ``Tensor/im2col(_:)``.
    public func im2col(_ geometry: ConvolutionGeometry) throws -> Variable {
        try Variable.record(value.im2col(geometry), .im2col(geometry), [self])
    }

    /// Patch matrix for 2-D convolution of an NHWC image, see ``Tensor/im2col2d(_:)``.
    public func im2col2d(_ geometry: ConvolutionGeometry) throws -> Variable {
        try Variable.record(value.im2col2d(geometry), .im2col2d(geometry), [self])
    }

    /// Scatter-add of a patch matrix into an NHWC image of `imageShape`, the adjoint of ``im2col2d(_:)`` (the
    /// last step of a transposed convolution), see ``Tensor/col2im2d(_:imageShape:)``.
    public func col2im2d(_ geometry: ConvolutionGeometry, imageShape: [Int]) throws -> Variable {
        try Variable.record(value.col2im2d(geometry, imageShape: imageShape), .col2im2d(geometry, imageShape: imageShape), [self])
    }
}
