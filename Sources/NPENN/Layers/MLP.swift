import NPETensor
import NPESupport

/// A multilayer perceptron: Linear → activation → … → Linear (no activation after the last layer).
///
/// `sizes = [in, h₁, …, out]` gives `sizes.count − 1` linear layers, named `layers.0`, `layers.1`, ….
public final class MLP: Layer {
    public let layers: [Linear]
    public let activation: Activation

    public init(sizes: [Int], activation: Activation = .relu, stream: RandomStream) throws {
        guard sizes.count >= 2, sizes.allSatisfy({ $0 > 0 }) else {
            throw ModuleError.invalidConfiguration("MLP sizes must list at least an input and an output width, all positive: \(sizes)")
        }
        layers = (0..<(sizes.count - 1)).map {
            Linear(inputs: sizes[$0], outputs: sizes[$0 + 1], stream: stream.child(UInt64($0)))
        }
        self.activation = activation
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        layers.enumerated().flatMap { prefixed("layers.\($0.offset)", $0.element) }
    }

    public func callAsFunction(_ input: Variable) throws -> Variable {
        var x = input
        for (i, layer) in layers.enumerated() {
            x = try layer(x)
            if i < layers.count - 1 { x = try activation(x) }
        }
        return x
    }
}
