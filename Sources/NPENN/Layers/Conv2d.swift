import NPETensor
import NPESupport

/// 2-D convolution over channels-last (NHWC) images, as im2col plus one sgemm.
///
/// Shapes: input `[n, height, width, inChannels]`; weight `[k · k · inChannels, outChannels]` (rows ordered
/// kernel-row, kernel-column, channel-fastest, matching ``NPETensor/Tensor/im2col2d(_:)``); bias `[outChannels]`;
/// output `[n, H', W', outChannels]` with `H' = (height + 2p − k) / s + 1` and likewise `W'`. The same square
/// ``ConvolutionGeometry`` (kernel k, stride s, zero padding p) applies to both axes. As in ``Conv1d``, the sgemm
/// result already has the channels-last output layout.
public final class Conv2d: ConvolutionLayer, Layer {
    /// Weights and bias uniform in ±1/√fan-in (fan-in = k · k · inChannels), PyTorch's default.
    public init(inChannels: Int, outChannels: Int, geometry: ConvolutionGeometry, stream: RandomStream) {
        let fanIn = inChannels * geometry.kernelSize * geometry.kernelSize
        super.init(inChannels: inChannels, outChannels: outChannels, geometry: geometry, weightShape: [fanIn, outChannels],
                   fanIn: fanIn, stream: stream)
    }

    /// The output side for an input side, or nil when the kernel does not fit.
    public func outputSide(_ side: Int) -> Int? { geometry.outputLength(side) }

    public func callAsFunction(_ input: Variable) throws -> Variable {
        guard input.shape.count == 4, input.shape[3] == inChannels,
              let height = geometry.outputLength(input.shape[1]), let width = geometry.outputLength(input.shape[2]) else {
            throw TensorError.shapeMismatch(op: "Conv2d (expects [n, height, width, \(inChannels)])", lhs: input.shape, rhs: weight.shape)
        }
        let patches = try input.im2col2d(geometry)
        let out = try Variable.affine(patches, weight: weight, bias: bias)
        return try out.reshaped([input.shape[0], height, width, outChannels])
    }
}
