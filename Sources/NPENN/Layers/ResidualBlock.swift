import NPETensor
import NPESupport

/// A pre-activation residual block, y = x + W₂ σ(W₁ σ(x)) (He et al. 2016, "Identity mappings in deep residual
/// networks", arXiv:1603.05027), optionally with layer normalisation before the first activation.
///
/// The second linear map starts at zero (weights and bias), so a fresh block is the identity: stacking many
/// blocks then cannot blow up activations at initialisation.
public final class ResidualBlock: Layer {
    public let first: Linear
    public let second: Linear
    public let normalization: LayerNormalization?
    public let activation: Activation

    public init(features: Int, hidden: Int? = nil, activation: Activation = .relu, layerNorm: Bool = false,
                stream: RandomStream) throws {
        let width = hidden ?? features
        first = Linear(inputs: features, outputs: width, stream: stream.child(0))
        second = Linear(inputs: width, outputs: features, stream: stream.child(1))
        try second.weight.assign(Tensor.zeros(second.weight.shape))
        try second.bias?.assign(Tensor.zeros([features]))
        normalization = layerNorm ? LayerNormalization(features: features) : nil
        self.activation = activation
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        prefixed("first", first) + prefixed("second", second) + (normalization.map { prefixed("norm", $0) } ?? [])
    }

    public func callAsFunction(_ input: Variable) throws -> Variable {
        var h = input
        if let normalization { h = try normalization(h) }
        h = try second(activation(first(activation(h))))
        return try input + h
    }
}
