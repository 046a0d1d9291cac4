import NPETensor
import NPESupport

/// A linear layer whose weight is multiplied by a fixed 0/1 mask, y = x (W ⊙ M) + b: the building block of
/// MADE (Germain et al. 2015, "MADE: Masked Autoencoder for Distribution Estimation", arXiv:1502.03509).
///
/// The mask is a constant, so masked weights get zero gradient and never influence the output, whatever
/// values they hold. Shapes as ``Linear``; M is `[inputs, outputs]`.
public final class MaskedLinear: Layer {
    public let weight: Variable
    public let bias: Variable
    public let mask: Tensor
    private let maskConstant: Variable

    public init(mask: Tensor, stream: RandomStream) throws {
        guard mask.rank == 2 else { throw TensorError.rankMismatch(op: "MaskedLinear mask", expected: 2, shape: mask.shape) }
        let inputs = mask.shape[0], outputs = mask.shape[1]
        self.mask = mask
        maskConstant = Variable(mask)
        weight = Variable(Initialization.uniformFanIn([inputs, outputs], fanIn: inputs, stream: stream.child(0)),
                          requiresGradient: true)
        bias = Variable(Initialization.uniformFanIn([outputs], fanIn: inputs, stream: stream.child(1)), requiresGradient: true)
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        [(name: "weight", parameter: weight), (name: "bias", parameter: bias)]
    }

    public func callAsFunction(_ input: Variable) throws -> Variable {
        try Variable.affine(input, weight: weight * maskConstant, bias: bias)
    }
}
