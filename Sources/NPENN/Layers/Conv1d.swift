import NPETensor
import NPESupport

/// 1-D convolution over channels-last input, as im2col plus one sgemm.
///
/// Shapes: input `[n, length, inChannels]`, weight `[kernelSize · inChannels, outChannels]` (rows ordered
/// kernel-position-major, channel-fastest, matching ``Tensor/im2col(_:)``), bias `[outChannels]`, output
/// `[n, L', outChannels]` with L' from ``ConvolutionGeometry/outputLength(_:)``. Channels-last means the sgemm
/// result already has the output layout; a spectrum `[n, M]` enters as `[n, M, 1]`.
public final class Conv1d: ConvolutionLayer, Layer {
    public init(inChannels: Int, outChannels: Int, geometry: ConvolutionGeometry, stream: RandomStream) {
        let fanIn = inChannels * geometry.kernelSize
        super.init(inChannels: inChannels, outChannels: outChannels, geometry: geometry, weightShape: [fanIn, outChannels],
                   fanIn: fanIn, stream: stream)
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
