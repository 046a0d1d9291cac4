import NPENN
import NPESupport

/// Everything needed to rebuild a ``NeuralPosteriorEstimator``'s network: Codable, stored beside the weights.
public struct EstimatorArchitecture: Codable, Equatable, Sendable {
    /// The support of each θ component (D entries), mapped to ℝ before the flow.
    public var thetaSupports: [SupportBijection]
    /// M, the number of observed values (spectral bins).
    public var xCount: Int
    /// How each auxiliary context input (A entries, e.g. planet mass and stellar radius) is mapped before it is
    /// standardised and concatenated to the embedding's output. Empty when the model has no context inputs.
    public var contextTransforms: [ContextTransform]
    /// Whether the per-bin noise level σ is fed to the network beside x (Gebhard et al. 2025): then one model
    /// serves observations of different signal-to-noise.
    public var noiseLevelInput: Bool
    /// Whether the network reads a per-bin observed/missing mask (see ``NeuralPosteriorEstimator``, "Masked
    /// bins"): then a target may leave bins unobserved. False for models trained on complete spectra, and for
    /// cards written before masks existed (the key is absent there).
    public var maskInput: Bool
    public var embedding: EmbeddingArchitecture
    /// The flow; its `featureCount` must be D and its `contextCount` the embedding's output width.
    public var flow: FlowArchitecture

    /// An architecture whose flow sizes are filled in from the supports and the embedding.
    public init(thetaSupports: [SupportBijection], xCount: Int, contextTransforms: [ContextTransform] = [],
                noiseLevelInput: Bool = false, maskInput: Bool = false,
                embedding: EmbeddingArchitecture = EmbeddingArchitecture(kind: .mlp, hiddenWidths: [64], outputCount: 32),
                flowKind: FlowArchitecture.Kind = .nsf, transforms: Int = 5, hiddenWidths: [Int] = [50, 50],
                activation: Activation = .relu, bins: Int = 10, tailBound: Float = 5) {
        self.thetaSupports = thetaSupports
        self.xCount = xCount
        self.contextTransforms = contextTransforms
        self.noiseLevelInput = noiseLevelInput
        self.maskInput = maskInput
        self.embedding = embedding
        flow = FlowArchitecture(
            kind: flowKind, featureCount: thetaSupports.count,
            contextCount: embedding.contextCount(inputCount: xCount, inputChannels: Self.channels(noiseLevelInput, maskInput))
                + contextTransforms.count,
            transforms: transforms, hiddenWidths: hiddenWidths, activation: activation, bins: bins, tailBound: tailBound)
    }

    /// D.
    public var thetaCount: Int { thetaSupports.count }
    /// A, the number of auxiliary context inputs.
    public var contextCount: Int { contextTransforms.count }
    /// Channels per bin: x, then σ when it is an input, then the mask when it is one.
    public var inputChannels: Int { Self.channels(noiseLevelInput, maskInput) }

    static func channels(_ noiseLevelInput: Bool, _ maskInput: Bool) -> Int { 1 + (noiseLevelInput ? 1 : 0) + (maskInput ? 1 : 0) }

    enum CodingKeys: String, CodingKey {
        case thetaSupports, xCount, contextTransforms, noiseLevelInput, maskInput, embedding, flow
    }

    /// Decodes a saved architecture; `maskInput` is optional (false), so cards from before masks still load.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        thetaSupports = try container.decode([SupportBijection].self, forKey: .thetaSupports)
        xCount = try container.decode(Int.self, forKey: .xCount)
        contextTransforms = try container.decode([ContextTransform].self, forKey: .contextTransforms)
        noiseLevelInput = try container.decode(Bool.self, forKey: .noiseLevelInput)
        maskInput = try container.decodeIfPresent(Bool.self, forKey: .maskInput) ?? false
        embedding = try container.decode(EmbeddingArchitecture.self, forKey: .embedding)
        flow = try container.decode(FlowArchitecture.self, forKey: .flow)
    }

    /// Checks the parts agree.
    public func validate() throws {
        guard thetaCount >= 1, xCount >= 1 else { throw EstimatorError.invalidArchitecture("need D ≥ 1 and M ≥ 1") }
        if let bad = thetaSupports.firstIndex(where: { !$0.isValid }) {
            throw EstimatorError.invalidArchitecture("support of θ[\(bad)] is invalid: \(thetaSupports[bad])")
        }
        let context = embedding.contextCount(inputCount: xCount, inputChannels: inputChannels) + contextCount
        guard flow.featureCount == thetaCount, flow.contextCount == context else {
            throw EstimatorError.invalidArchitecture(
                "flow sizes D \(flow.featureCount), C \(flow.contextCount) disagree with θ (\(thetaCount)) and the embedding plus context inputs (\(context))")
        }
    }
}
