import NPETensor

/// Layer normalisation over the feature axis (Ba, Kiros & Hinton 2016, arXiv:1607.06450):
/// y = (x − μ) / √(σ² + ε) ⊙ γ + β, with μ and σ² the mean and (biased) variance of each row.
///
/// Shapes: x `[n, features]`, γ and β `[features]`. γ starts at 1 and β at 0. Composed from primitive ops, so
/// its gradient is the engine's, checked in the tests.
public final class LayerNormalization: Layer {
    public let scale: Variable
    public let offset: Variable
    public let epsilon: Float

    public init(features: Int, epsilon: Float = 1e-5) {
        scale = Variable(Tensor(repeating: 1, shape: [features]), requiresGradient: true)
        offset = Variable(Tensor.zeros([features]), requiresGradient: true)
        self.epsilon = epsilon
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        [(name: "scale", parameter: scale), (name: "offset", parameter: offset)]
    }

    public func callAsFunction(_ input: Variable) throws -> Variable {
        guard input.shape.count == 2, input.shape[1] == scale.shape[0] else {
            throw TensorError.shapeMismatch(op: "LayerNormalization", lhs: input.shape, rhs: scale.shape)
        }
        let rows = input.shape[0]
        let mean = try input.mean(alongAxis: 1).reshaped([rows, 1])
        let centred = try input - mean
        let variance = try centred.squared().mean(alongAxis: 1).reshaped([rows, 1])
        let normalised = try centred / (variance + epsilon).squareRoot()
        return try normalised * scale + offset
    }
}
