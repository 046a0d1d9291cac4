import NPENN
import NPETensor
import NPESupport

/// GAIN's discriminator (Yoon, Jordon & van der Schaar 2018, "GAIN: missing data imputation using generative
/// adversarial nets", arXiv:1806.02920): given the completed standardised spectrum x̂ `[n, M]` and the hint h
/// `[n, M]`, it returns per-bin logits `[n, M]` of "this bin was observed". A dense network, leaky ReLU between
/// layers: [x̂, h] (2M) → widths → M.
public final class ImputerDiscriminator: Layer {
    public let network: MLP

    public init(binCount: Int, widths: [Int], stream: RandomStream) throws {
        network = try MLP(sizes: [2 * binCount] + widths + [binCount], activation: .leakyRelu, stream: stream)
    }

    public var namedParameters: [(name: String, parameter: Variable)] { prefixed("network", network) }

    /// `[n, 2M]` (x̂ and h side by side) → logits `[n, M]`.
    public func callAsFunction(_ input: Variable) throws -> Variable { try network(input) }

    /// Logits for completed spectra `completed` `[n, M]` and hints `hint` `[n, M]`.
    public func logits(completed: Variable, hint: Tensor) throws -> Variable {
        try network(Variable.concatenateColumns([completed, Variable(hint)]))
    }
}
