import NPETensor

/// Instance normalisation of channels-last sequences (Ulyanov, Vedaldi & Lempitsky 2016, "Instance
/// normalization: the missing ingredient for fast stylization", arXiv:1607.08022):
///
///     y[n, l, c] = (x[n, l, c] − μ[n, c]) / √(σ²[n, c] + ε) · γ[c] + β[c]
///
/// with μ and σ² the mean and (biased) variance of sample n's channel c over the length axis. Unlike batch
/// normalisation the statistics are each sample's own, so training and evaluation compute the same thing and no
/// running statistics are kept; unlike layer normalisation each channel is normalised apart.
///
/// Shapes: x `[n, length, channels]`, γ and β `[channels]` (γ starts at 1, β at 0; none when `affine` is false,
/// PyTorch's `InstanceNorm1d` default). A dense layer's features `[n, F]` are normalised as one channel of length
/// F by reshaping to `[n, F, 1]` (``normalizingFeatures(_:)``).
///
/// Composed from primitive ops, so its gradient is the engine's; the tests check it by finite differences.
///
/// - Warning: a length of 1 has zero variance: the output is β whatever x is.
public final class InstanceNormalization: Layer {
    public let channels: Int
    public let scale: Variable?
    public let offset: Variable?
    public let epsilon: Float

    public init(channels: Int, affine: Bool = true, epsilon: Float = 1e-5) {
        self.channels = channels
        scale = affine ? Variable(Tensor(repeating: 1, shape: [channels]), requiresGradient: true) : nil
        offset = affine ? Variable(Tensor.zeros([channels]), requiresGradient: true) : nil
        self.epsilon = epsilon
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        guard let scale, let offset else { return [] }
        return [(name: "scale", parameter: scale), (name: "offset", parameter: offset)]
    }

    public func callAsFunction(_ input: Variable) throws -> Variable {
        guard input.shape.count == 3, input.shape[2] == channels else {
            throw TensorError.shapeMismatch(op: "InstanceNormalization (expects [n, length, \(channels)])", lhs: input.shape, rhs: [channels])
        }
        let (n, c) = (input.shape[0], input.shape[2])
        let mean = try input.mean(alongAxis: 1).reshaped([n, 1, c])
        let centred = try input - mean
        let variance = try centred.squared().mean(alongAxis: 1).reshaped([n, 1, c])
        let normalised = try centred / (variance + epsilon).squareRoot()
        guard let scale, let offset else { return normalised }
        return try normalised * scale + offset
    }

    /// Normalises each row of `[n, F]` over its F features (this layer must have one channel).
    public func normalizingFeatures(_ input: Variable) throws -> Variable {
        guard input.shape.count == 2, channels == 1 else {
            throw TensorError.shapeMismatch(op: "InstanceNormalization over features (expects [n, F] and 1 channel)",
                                            lhs: input.shape, rhs: [channels])
        }
        let (n, f) = (input.shape[0], input.shape[1])
        return try callAsFunction(input.reshaped([n, f, 1])).reshaped([n, f])
    }
}
