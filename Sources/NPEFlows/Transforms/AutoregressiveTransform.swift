import NPENN
import NPETensor
import NPESupport

/// An autoregressive transform: a conditional MADE predicts, for each dimension d, the parameters of an
/// ``ElementwiseTransform`` from x₀ … x_{d−1} and the context; then yᵈ = g(xᵈ; φᵈ).
///
/// With ``MonotonicAffine`` this is one layer of a masked autoregressive flow (Papamakarios et al. 2017,
/// arXiv:1705.07057); with ``RationalQuadraticSpline`` one layer of an autoregressive neural spline flow
/// (Durkan et al. 2019, arXiv:1906.04032). The density direction is one network pass; the inverse needs D
/// dependent steps, done cheaply by ``AutoregressiveInverter``.
///
/// Parameters: `layers.<i>.weight` and `layers.<i>.bias` of the masked layers (the first over `[x, context]`).
public final class AutoregressiveTransform<Univariate: ElementwiseTransform>: FlowTransform {
    public let featureCount: Int
    public let contextCount: Int
    public let hiddenWidths: [Int]
    public let activation: Activation
    public let univariate: Univariate
    let layers: [MaskedLinear]
    let masks: AutoregressiveMasks

    /// - Throws: ``ModuleError/invalidConfiguration(_:)`` for D < 1, a negative context width or no hidden layer.
    public init(featureCount: Int, contextCount: Int, hiddenWidths: [Int], activation: Activation = .relu,
                univariate: Univariate, stream: RandomStream) throws {
        guard featureCount >= 1, contextCount >= 0, !hiddenWidths.isEmpty, hiddenWidths.allSatisfy({ $0 > 0 }) else {
            throw ModuleError.invalidConfiguration(
                "autoregressive transform needs D ≥ 1, C ≥ 0 and positive hidden widths; got D \(featureCount), C \(contextCount), hidden \(hiddenWidths)")
        }
        self.featureCount = featureCount
        self.contextCount = contextCount
        self.hiddenWidths = hiddenWidths
        self.activation = activation
        self.univariate = univariate
        masks = AutoregressiveMasks(featureCount: featureCount, contextCount: contextCount, hiddenWidths: hiddenWidths,
                                    parameterCount: univariate.parameterCount)
        layers = try masks.masks().enumerated().map { i, mask in try MaskedLinear(mask: mask, stream: stream.child(UInt64(i))) }
        // A small last layer starts the transform near g(·; 0), the identity for both univariate maps, so a
        // deep stack begins as a well-conditioned map.
        let last = layers[layers.count - 1]
        try last.weight.assign(last.weight.value * 0.1)
        try last.bias.assign(last.bias.value * 0.1)
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        layers.enumerated().flatMap { prefixed("layers.\($0.offset)", $0.element) }
    }

    /// The univariate parameters `[n, D·P]` for x and context.
    func parameters(_ x: Variable, context: Variable) throws -> Variable {
        var h = contextCount > 0 ? try Variable.concatenateColumns([x, context]) : x
        for (i, layer) in layers.enumerated() {
            h = try layer(h)
            if i < layers.count - 1 { h = try activation(h) }
        }
        return h
    }

    public func forwardAndLogAbsDet(_ x: Variable, context: Variable) throws -> (y: Variable, logAbsDet: Variable) {
        try checkShapes(x.shape, context.shape, op: "AutoregressiveTransform")
        return try univariate.apply(x, parameters: parameters(x, context: context))
    }

    public func makeInverter(context: Tensor) throws -> any TransformInverter {
        guard context.rank == 2, context.shape[1] == contextCount else {
            throw TensorError.shapeMismatch(op: "AutoregressiveTransform inverse (context [T, \(contextCount)])",
                                            lhs: context.shape, rhs: [featureCount])
        }
        return AutoregressiveInverter(transform: self, context: context)
    }
}
