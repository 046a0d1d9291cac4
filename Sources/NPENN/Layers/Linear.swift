import NPETensor
import NPESupport

/// A fully connected layer, y = x W + b.
///
/// Shapes: x `[n, inputs]`, W `[inputs, outputs]` (stored input-major, so the forward pass is one sgemm without
/// transposes), b `[outputs]`, y `[n, outputs]`.
public final class Linear: Layer {
    public let weight: Variable
    public let bias: Variable?

    /// Initialises W and b from `stream` (see ``Initialization/uniformFanIn(_:fanIn:stream:)``).
    public init(inputs: Int, outputs: Int, bias: Bool = true, stream: RandomStream) {
        weight = Variable(Initialization.uniformFanIn([inputs, outputs], fanIn: inputs, stream: stream.child(0)),
                          requiresGradient: true)
        self.bias = bias
            ? Variable(Initialization.uniformFanIn([outputs], fanIn: inputs, stream: stream.child(1)), requiresGradient: true)
            : nil
    }

    public var inputCount: Int { weight.shape[0] }
    public var outputCount: Int { weight.shape[1] }

    public var namedParameters: [(name: String, parameter: Variable)] {
        [(name: "weight", parameter: weight)] + (bias.map { [(name: "bias", parameter: $0)] } ?? [])
    }

    public func callAsFunction(_ input: Variable) throws -> Variable {
        try Variable.affine(input, weight: weight, bias: bias)
    }
}
