import NPENN

/// A Codable description that fully determines a ``ConditionalFlow``'s structure (its parameters come from a
/// seed or a saved dictionary).
public struct FlowArchitecture: Codable, Equatable, Sendable {
    /// The flow family.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Masked autoregressive flow: autoregressive ``MonotonicAffine`` layers (Papamakarios et al. 2017).
        case maf
        /// Autoregressive neural spline flow: the same machinery with ``RationalQuadraticSpline`` (zuko's NSF).
        case nsf
        /// Coupling neural spline flow (Durkan et al. 2019; sbi's default NSF): one pass per layer both ways.
        case nsfc
    }

    public var kind: Kind
    /// D, the dimension of θ (in the flow's unconstrained, standardised space).
    public var featureCount: Int
    /// C, the width of the context vector.
    public var contextCount: Int
    /// The number of autoregressive or coupling layers (a reversal sits between consecutive ones).
    public var transforms: Int
    /// Hidden widths of each layer's conditioner network.
    public var hiddenWidths: [Int]
    public var activation: Activation
    /// K, spline bins (NSF kinds).
    public var bins: Int
    /// B, the spline interval [−B, B] (NSF kinds).
    public var tailBound: Float
    /// The bound on |log-scale| of the affine layers (MAF).
    public var logScaleBound: Float

    public init(kind: Kind, featureCount: Int, contextCount: Int, transforms: Int = 5, hiddenWidths: [Int] = [50, 50],
                activation: Activation = .relu, bins: Int = 10, tailBound: Float = 5, logScaleBound: Float = 3) {
        self.kind = kind
        self.featureCount = featureCount
        self.contextCount = contextCount
        self.transforms = transforms
        self.hiddenWidths = hiddenWidths
        self.activation = activation
        self.bins = bins
        self.tailBound = tailBound
        self.logScaleBound = logScaleBound
    }
}
