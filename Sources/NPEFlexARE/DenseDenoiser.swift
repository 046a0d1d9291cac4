import NPENN
import NPETensor
import NPESupport

/// FlexARE's dense denoising autoencoder (Vincent et al. 2008, "Extracting and composing robust features with
/// denoising autoencoders"): standardised noisy spectrum z̃ `[n, M]` → standardised clean spectrum ẑ `[n, M]`.
///
/// Encoder M → h₁ → … → latent, decoder latent → … → h₁ → M (the widths mirrored). Every linear map but the last
/// is followed by instance normalisation (one channel over the layer's features, with a learned scale and
/// offset; ``InstanceNormalization/normalizingFeatures(_:)``) when enabled, then the activation (GELU by
/// default). No dropout: the report's sweep found none best. Trained on mean squared error against the clean
/// spectrum, so ẑ estimates E[z | z̃]: a point estimate that carries no noise.
public final class DenseDenoiser: Layer {
    public let layers: [Linear]
    public let normalizations: [InstanceNormalization]
    public let activation: Activation

    public init(binCount: Int, configuration: FlexAREConfiguration.Denoiser, stream: RandomStream) {
        let widths = [binCount] + configuration.hiddenWidths + [configuration.latent] + configuration.hiddenWidths.reversed() + [binCount]
        layers = (0..<(widths.count - 1)).map { Linear(inputs: widths[$0], outputs: widths[$0 + 1], stream: stream.child(UInt64($0))) }
        normalizations = configuration.instanceNormalization ? (0..<(layers.count - 1)).map { _ in InstanceNormalization(channels: 1) } : []
        activation = configuration.activation
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        layers.enumerated().flatMap { prefixed("layers.\($0.offset)", $0.element) }
            + normalizations.enumerated().flatMap { prefixed("norms.\($0.offset)", $0.element) }
    }

    public func callAsFunction(_ input: Variable) throws -> Variable {
        var h = input
        for (i, layer) in layers.enumerated() {
            h = try layer(h)
            guard i < layers.count - 1 else { break }
            if !normalizations.isEmpty { h = try normalizations[i].normalizingFeatures(h) }
            h = try activation(h)
        }
        return h
    }
}
