import NPETensor
import NPESupport

/// What ``Conv1d``, ``Conv2d`` and ``ConvTranspose2d`` share: a weight matrix and a bias, both trainable and drawn
/// uniform in ±1/√fan-in (PyTorch's default), the square ``ConvolutionGeometry`` and the channel counts.
///
/// The subclasses differ only in the weight's shape and fan-in (a convolution reads `k^d · inChannels` inputs per
/// output; a transposed one spreads each input over `k · k · outChannels` outputs) and in their forward pass, so
/// the initialisation, the stream children (0: weight, 1: bias) and the parameter names live here once.
public class ConvolutionLayer {
    public let weight: Variable
    public let bias: Variable
    public let geometry: ConvolutionGeometry
    public let inChannels: Int
    public let outChannels: Int

    /// - Parameters:
    ///   - weightShape: the shape of the weight matrix (`[fanIn, outChannels]` for a convolution).
    ///   - fanIn: the fan-in that sets the uniform bound ±1/√fanIn of weight and bias.
    init(inChannels: Int, outChannels: Int, geometry: ConvolutionGeometry, weightShape: [Int], fanIn: Int,
         stream: RandomStream) {
        weight = Variable(Initialization.uniformFanIn(weightShape, fanIn: fanIn, stream: stream.child(0)),
                          requiresGradient: true)
        bias = Variable(Initialization.uniformFanIn([outChannels], fanIn: fanIn, stream: stream.child(1)), requiresGradient: true)
        self.geometry = geometry
        self.inChannels = inChannels
        self.outChannels = outChannels
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        [(name: "weight", parameter: weight), (name: "bias", parameter: bias)]
    }
}
