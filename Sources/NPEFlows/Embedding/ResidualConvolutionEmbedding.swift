import NPENN
import NPETensor
import NPESupport

/// A 1-D residual CNN featurizer for spectra, in the spirit of nbi's ResNet featurizer (He et al. 2016,
/// arXiv:1512.03385): a stem convolution, then blocks that each halve the length,
///
///   h = σ(conv₂(σ(conv₁,stride 2(x))) + conv_{1×1, stride 2}(x)),
///
/// then the flattened features pass a dense layer to the context vector. Input `[n, M·channels]`
/// (channel-fastest, viewed as `[n, M, channels]`), output `[n, outputCount]`.
///
/// Parameters: `stem.*`, `blocks.<i>.first|second|skip.*`, `head.layers.<i>.*`.
public final class ResidualConvolutionEmbedding: EmbeddingNetwork {
    let length: Int
    let inputChannels: Int
    let stem: Conv1d
    let blocks: [(first: Conv1d, second: Conv1d, skip: Conv1d)]
    let head: MLP
    let activation: Activation

    /// - Throws: ``ModuleError/invalidConfiguration(_:)`` for an even kernel, too many blocks for the length, or
    ///   non-positive sizes.
    public init(length: Int, inputChannels: Int, architecture a: EmbeddingArchitecture, stream: RandomStream) throws {
        guard a.kernelSize % 2 == 1, a.kernelSize > 0, a.channels > 0, a.blocks >= 0, length > 0, inputChannels > 0,
              a.outputCount > 0, length >> a.blocks >= 1
        else {
            throw ModuleError.invalidConfiguration(
                "residual CNN needs an odd kernel, positive channels and length ≥ 2^blocks; got kernel \(a.kernelSize), channels \(a.channels), blocks \(a.blocks), length \(length)")
        }
        self.length = length
        self.inputChannels = inputChannels
        activation = a.activation
        let same = ConvolutionGeometry(kernelSize: a.kernelSize, stride: 1, padding: a.kernelSize / 2)
        let down = ConvolutionGeometry(kernelSize: a.kernelSize, stride: 2, padding: a.kernelSize / 2)
        stem = Conv1d(inChannels: inputChannels, outChannels: a.channels, geometry: same, stream: stream.child(0))
        var currentLength = length
        blocks = (0..<a.blocks).map { i in
            let s = stream.child(UInt64(10 + i))
            currentLength = down.outputLength(currentLength)!
            return (Conv1d(inChannels: a.channels, outChannels: a.channels, geometry: down, stream: s.child(0)),
                    Conv1d(inChannels: a.channels, outChannels: a.channels, geometry: same, stream: s.child(1)),
                    Conv1d(inChannels: a.channels, outChannels: a.channels, geometry: ConvolutionGeometry(kernelSize: 1, stride: 2),
                           stream: s.child(2)))
        }
        head = try MLP(sizes: [currentLength * a.channels] + Array(a.hiddenWidths.prefix(1)) + [a.outputCount],
                       activation: a.activation, stream: stream.child(1))
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        var result = prefixed("stem", stem)
        for (i, block) in blocks.enumerated() {
            result += prefixed("blocks.\(i).first", block.first) + prefixed("blocks.\(i).second", block.second)
                + prefixed("blocks.\(i).skip", block.skip)
        }
        return result + prefixed("head", head)
    }

    public func callAsFunction(_ input: Variable) throws -> Variable {
        let n = input.shape[0]
        var h = try activation(stem(input.reshaped([n, length, inputChannels])))
        for block in blocks {
            let inner = try block.second(activation(block.first(h)))
            h = try activation(inner + block.skip(h))
        }
        return try head(h.reshaped([n, h.shape[1] * h.shape[2]]))
    }
}
