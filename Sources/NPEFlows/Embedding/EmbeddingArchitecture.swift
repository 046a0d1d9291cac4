import NPENN
import NPETensor
import NPESupport

/// A Codable description of the embedding network (featurizer) that compresses the observation into the flow's
/// context vector. It is trained jointly with the flow.
public struct EmbeddingArchitecture: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The (standardised) observation itself is the context.
        case identity
        /// A multilayer perceptron, widths ``hiddenWidths`` then ``outputCount``.
        case mlp
        /// A 1-D residual CNN over the spectral axis (``ResidualConvolutionEmbedding``).
        case residualConvolution
    }

    public var kind: Kind
    /// MLP hidden widths; for the CNN, the width of its final dense layer (first entry).
    public var hiddenWidths: [Int]
    /// The context width (ignored for `identity`).
    public var outputCount: Int
    public var activation: Activation
    /// CNN: channels of every convolution.
    public var channels: Int
    /// CNN: residual blocks; each halves the length with a stride-2 convolution.
    public var blocks: Int
    /// CNN: convolution kernel size (odd).
    public var kernelSize: Int

    public init(kind: Kind, hiddenWidths: [Int] = [128, 128], outputCount: Int = 32, activation: Activation = .relu,
                channels: Int = 16, blocks: Int = 3, kernelSize: Int = 3) {
        self.kind = kind
        self.hiddenWidths = hiddenWidths
        self.outputCount = outputCount
        self.activation = activation
        self.channels = channels
        self.blocks = blocks
        self.kernelSize = kernelSize
    }

    /// The identity featurizer.
    public static let identity = EmbeddingArchitecture(kind: .identity, hiddenWidths: [], outputCount: 0)

    /// The context width for observations of `inputCount` values with `inputChannels` channels (x, and σ
    /// when the noise level is an input).
    public func contextCount(inputCount: Int, inputChannels: Int) -> Int {
        kind == .identity ? inputCount * inputChannels : outputCount
    }
}

/// A featurizer x → context. Input is `[n, M·channels]`, channel-fastest (the layout ``Conv1d`` reads as
/// `[n, M, channels]`); output `[n, C]`.
public protocol EmbeddingNetwork: Module {
    func callAsFunction(_ input: Variable) throws -> Variable
}

/// The identity featurizer (no parameters).
public final class IdentityEmbedding: EmbeddingNetwork {
    public init() {}
    public var namedParameters: [(name: String, parameter: Variable)] { [] }
    public func callAsFunction(_ input: Variable) throws -> Variable { input }
}

/// An MLP featurizer.
public final class MLPEmbedding: EmbeddingNetwork {
    let network: MLP

    public init(inputCount: Int, architecture: EmbeddingArchitecture, stream: RandomStream) throws {
        network = try MLP(sizes: [inputCount] + architecture.hiddenWidths + [architecture.outputCount],
                          activation: architecture.activation, stream: stream)
    }

    public var namedParameters: [(name: String, parameter: Variable)] { prefixed("mlp", network) }
    public func callAsFunction(_ input: Variable) throws -> Variable { try network(input) }
}

extension EmbeddingArchitecture {
    /// Builds the network for observations of `inputCount` bins with `inputChannels` channels.
    public func makeNetwork(inputCount: Int, inputChannels: Int, stream: RandomStream) throws -> any EmbeddingNetwork {
        switch kind {
        case .identity: return IdentityEmbedding()
        case .mlp: return try MLPEmbedding(inputCount: inputCount * inputChannels, architecture: self, stream: stream)
        case .residualConvolution:
            return try ResidualConvolutionEmbedding(length: inputCount, inputChannels: inputChannels, architecture: self, stream: stream)
        }
    }
}
