import NPENN
import NPETensor

/// A network with batch normalisation layers (both DCGAN networks): they switch between batch and running
/// statistics together, and their running statistics are the network's buffers, saved with its weights.
public protocol BatchNormalizedNetwork: Module {
    /// The batch normalisation layers, by the parameter-name prefix they are saved under, in the network's order.
    var normalizations: [(name: String, layer: BatchNormalization)] { get }
}

extension BatchNormalizedNetwork {
    public var namedBuffers: [(name: String, buffer: Variable)] {
        normalizations.flatMap { prefixedBuffers($0.name, $0.layer) }
    }

    /// Training mode normalises with batch statistics; evaluation mode (inference) with the running ones. Every
    /// layer is set; reading gives the first layer's (they never differ).
    public var mode: BatchNormalization.Mode {
        get { normalizations[0].layer.mode }
        set { for normalization in normalizations { normalization.layer.mode = newValue } }
    }
}
