import NPETensor
import NPESupport

/// 1-D convolution over channels-last input, as im2col plus one sgemm.
///
/// Shapes: input `[n, length, inChannels]`, weight `[kernelSize · inChannels, outChannels]` (rows ordered
/// kernel-position-major, channel-fastest, matching ``Tensor/im2col(_:)``), bias `[outChannels]`, output
/// `[n, L', outChannels]` with L' from ``ConvolutionGeometry/outputLength(_:)``. Channels-last means the sgemm
/// result already has the output layout; a spectrum `[n, M]` enters as `[n, M, 1]`.
public final class Conv1d: Layer {
    public let weight: Variable
    public let bias: Variable
    public let geometry: ConvolutionGeometry
    public let inChannels: Int
    public let outChannels: Int

    public init(inChannels: Int, outChannels: Int, geometry: ConvolutionGeometry, stream: RandomStream) {
        let fanIn = inChannels * geometry.kernelSize
        weight = Variable(Initialization.uniformFanIn([fanIn, outChannels], fanIn: fanIn, stream: stream.child(0)),
                          requiresGradient: true)
        bias = Variable(Initialization.uniformFanIn([outChannels], fanIn: fanIn, stream: stream.child(1)), requiresGradient: true)
        self.geometry = geometry
        self.inChannels = inChannels
        self.outChannels = outChannels
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        [(name: "weight", parameter: weight), (name: "bias", parameter: bias)]
    }

    public func callAsFunction(_ input: Variable) throws -> Variable {
        guard input.shape.count == 3, input.shape[2] == inChannels else {
            throw TensorError.shapeMismatch(op: "Conv1d (expects [n, length, \(inChannels)])", lhs: input.shape, rhs: weight.shape)
        }
        let n = input.shape[0]
        let patches = try input.im2col(geometry)
        let out = try Variable.affine(patches, weight: weight, bias: bias)
        return try out.reshaped([n, patches.shape[0] / max(n, 1), outChannels])
    }
}
