/// Gradient-free arithmetic on plain tensors, with the same broadcasting rules and errors as the recorded ops.
extension Tensor {
    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor { try binary(lhs, rhs, AddFunction.self, op: "add") }
    public static func - (lhs: Tensor, rhs: Tensor) throws -> Tensor { try binary(lhs, rhs, SubtractFunction.self, op: "subtract") }
    public static func * (lhs: Tensor, rhs: Tensor) throws -> Tensor { try binary(lhs, rhs, MultiplyFunction.self, op: "multiply") }
    public static func / (lhs: Tensor, rhs: Tensor) throws -> Tensor { try binary(lhs, rhs, DivideFunction.self, op: "divide") }
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { UnaryFunction.scale(rhs).apply(lhs) }
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { UnaryFunction.shift(rhs).apply(lhs) }

    /// `function` applied to every element.
    public func applying(_ function: UnaryFunction) -> Tensor { function.apply(self) }

    /// Largest absolute elementwise difference; shapes must match.
    public func maxAbsoluteDifference(_ other: Tensor) throws -> Float {
        guard shape == other.shape else { throw TensorError.shapeMismatch(op: "maxAbsoluteDifference", lhs: shape, rhs: other.shape) }
        var worst: Float = 0
        for i in 0..<count { worst = max(worst, abs(scalars[i] - other.scalars[i])) }
        return worst
    }
}
