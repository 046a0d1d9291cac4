import NPETensor

/// Losses.
public enum Loss {
    /// Mean squared error over all elements, mean((ŷ − y)²).
    public static func meanSquaredError(_ prediction: Variable, _ target: Variable) throws -> Variable {
        guard prediction.shape == target.shape else {
            throw TensorError.shapeMismatch(op: "meanSquaredError", lhs: prediction.shape, rhs: target.shape)
        }
        return try (prediction - target).squared().mean()
    }
}
