import NPETensor
import NPESupport

/// A residual block of two length-preserving 1-D convolutions with instance normalisation, the bottleneck block
/// of an image-to-image generator (He et al. 2016, arXiv:1512.03385; the normalised form of Johnson, Alahi &
/// Fei-Fei 2016, arXiv:1603.08155):
///
///     y = x + IN₂(conv₂(σ(IN₁(conv₁(x)))))
///
/// Shapes: x and y `[n, length, channels]`; both convolutions have `channels` in and out, an odd kernel and
/// padding (k − 1)/2, so the length is kept. IN₂'s scale γ₂ starts at 0, so a fresh block is the identity and a
/// stack of blocks cannot blow up activations at initialisation.
public final class ConvolutionalResidualBlock: Layer {
    public let first: Conv1d
    public let firstNormalization: InstanceNormalization
    public let second: Conv1d
    public let secondNormalization: InstanceNormalization
    public let activation: Activation

    /// - Throws: ``ModuleError/invalidConfiguration(_:)`` for an even or non-positive kernel size.
    public init(channels: Int, kernelSize: Int = 3, activation: Activation = .relu, stream: RandomStream) throws {
        guard kernelSize >= 1, kernelSize % 2 == 1, channels >= 1 else {
            throw ModuleError.invalidConfiguration("residual block: kernel size \(kernelSize) must be odd and ≥ 1, channels \(channels) ≥ 1")
        }
        let geometry = ConvolutionGeometry(kernelSize: kernelSize, stride: 1, padding: (kernelSize - 1) / 2)
        first = Conv1d(inChannels: channels, outChannels: channels, geometry: geometry, stream: stream.child(0))
        second = Conv1d(inChannels: channels, outChannels: channels, geometry: geometry, stream: stream.child(1))
        firstNormalization = InstanceNormalization(channels: channels)
        secondNormalization = InstanceNormalization(channels: channels)
        try secondNormalization.scale?.assign(Tensor.zeros([channels]))
        self.activation = activation
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        prefixed("first", first) + prefixed("norm1", firstNormalization) + prefixed("second", second)
            + prefixed("norm2", secondNormalization)
    }

    public func callAsFunction(_ input: Variable) throws -> Variable {
        let h = try activation(firstNormalization(first(input)))
        return try input + secondNormalization(second(h))
    }
}
