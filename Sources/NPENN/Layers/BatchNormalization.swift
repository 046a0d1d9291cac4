import Foundation
import NPETensor

/// Batch normalisation over the last (channel) axis (Ioffe & Szegedy 2015, arXiv:1502.03167):
/// y = (x − μ) / √(σ² + ε) ⊙ γ + β per channel.
///
/// Shapes: x `[…, channels]` (a `[n, features]` batch or an NHWC image batch `[n, H, W, channels]`); γ, β and the
/// running statistics `[channels]`. The statistics are taken over every axis but the last, so for images each
/// channel is normalised over the batch and all pixels, the convolutional form.
///
/// **Modes.** In ``Mode/training`` μ and σ² are the batch's (biased variance), and every forward pass updates
/// the running estimates: `running ← (1 − m)·running + m·batch` with momentum m = 0.1 and the unbiased batch
/// variance, PyTorch's convention. In ``Mode/evaluation`` the running estimates are used and nothing is updated.
/// The running statistics are buffers (``Module/namedBuffers``: `runningMean`, `runningVariance`), saved and
/// loaded with the parameters but never trained.
///
/// Training mode is one fused op (``BatchNormalizationOperation``) rather than seven primitive passes; its
/// vector–Jacobian product is the standard one and is gradient-checked. Evaluation mode is an affine map
/// composed from primitives.
public final class BatchNormalization: Layer {
    public enum Mode: Sendable { case training, evaluation }

    public let scale: Variable
    public let offset: Variable
    public let runningMean: Variable
    public let runningVariance: Variable
    public let epsilon: Float
    public let momentum: Float
    public var mode: Mode = .training

    public init(channels: Int, epsilon: Float = 1e-5, momentum: Float = 0.1) {
        scale = Variable(Tensor(repeating: 1, shape: [channels]), requiresGradient: true)
        offset = Variable(Tensor.zeros([channels]), requiresGradient: true)
        runningMean = Variable(Tensor.zeros([channels]))
        runningVariance = Variable(Tensor(repeating: 1, shape: [channels]))
        self.epsilon = epsilon
        self.momentum = momentum
    }

    public var channels: Int { scale.shape[0] }

    public var namedParameters: [(name: String, parameter: Variable)] {
        [(name: "scale", parameter: scale), (name: "offset", parameter: offset)]
    }

    public var namedBuffers: [(name: String, buffer: Variable)] {
        [(name: "runningMean", buffer: runningMean), (name: "runningVariance", buffer: runningVariance)]
    }

    public func callAsFunction(_ input: Variable) throws -> Variable {
        guard input.shape.count >= 2, input.shape.last == channels else {
            throw TensorError.shapeMismatch(op: "BatchNormalization (expects [..., \(channels)])", lhs: input.shape, rhs: scale.shape)
        }
        switch mode {
        case .evaluation:
            // y = (x − running μ) ⊙ (γ / √(running σ² + ε)) + β, with γ and β as variables so gradients still
            // reach them (and the input) when a frozen network is differentiated, as in inpainting.
            let inverseDeviation = try Tensor(shape: [channels], scalars: runningVariance.value.scalars.map {
                1 / ($0 + epsilon).squareRoot()
            })
            return try (input - runningMean) * (scale * Variable(inverseDeviation)) + offset
        case .training:
            let count = input.value.count / channels
            guard count > 1 else {
                throw ModuleError.invalidConfiguration("BatchNormalization in training mode needs more than one value per channel, got shape \(input.shape)")
            }
            let operation = BatchNormalizationOperation(channels: channels, epsilon: epsilon)
            let (mean, variance) = operation.statistics(input.value)
            updateRunningStatistics(mean: mean, variance: variance, count: count)
            return try Variable.custom(operation, inputs: [input, scale, offset]) { values in
                operation.forward(values[0], mean: mean, variance: variance, scale: values[1], offset: values[2])
            }
        }
    }

    /// running ← (1 − m)·running + m·batch, with the unbiased variance σ²·count/(count − 1).
    func updateRunningStatistics(mean: [Float], variance: [Float], count: Int) {
        let m = momentum, correction = Float(count) / Float(count - 1)
        runningMean.updateValue { r in for c in r.indices { r[c] = (1 - m) * r[c] + m * mean[c] } }
        runningVariance.updateValue { r in for c in r.indices { r[c] = (1 - m) * r[c] + m * variance[c] * correction } }
    }
}
