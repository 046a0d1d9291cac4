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
    public var embedding: EmbeddingArchitecture
    /// The flow; its `featureCount` must be D and its `contextCount` the embedding's output width.
    public var flow: FlowArchitecture

    /// An architecture whose flow sizes are filled in from the supports and the embedding.
    public init(thetaSupports: [SupportBijection], xCount: Int, contextTransforms: [ContextTransform] = [],
                noiseLevelInput: Bool = false,
                embedding: EmbeddingArchitecture = EmbeddingArchitecture(kind: .mlp, hiddenWidths: [64], outputCount: 32),
                flowKind: FlowArchitecture.Kind = .nsf, transforms: Int = 5, hiddenWidths: [Int] = [50, 50],
                activation: Activation = .relu, bins: Int = 10, tailBound: Float = 5) {
        self.thetaSupports = thetaSupports
        self.xCount = xCount
        self.contextTransforms = contextTransforms
        self.noiseLevelInput = noiseLevelInput
        self.embedding = embedding
        flow = FlowArchitecture(
            kind: flowKind, featureCount: thetaSupports.count,
            contextCount: embedding.contextCount(inputCount: xCount, inputChannels: noiseLevelInput ? 2 : 1)
                + contextTransforms.count,
            transforms: transforms, hiddenWidths: hiddenWidths, activation: activation, bins: bins, tailBound: tailBound)
    }

    /// D.
    public var thetaCount: Int { thetaSupports.count }
    /// A, the number of auxiliary context inputs.
    public var contextCount: Int { contextTransforms.count }
    /// Channels per observed bin: x, and σ when it is an input.
    public var inputChannels: Int { noiseLevelInput ? 2 : 1 }

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
