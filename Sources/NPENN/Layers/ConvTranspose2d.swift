import NPETensor
import NPESupport

/// Transposed 2-D convolution over channels-last (NHWC) images: the adjoint of ``Conv2d``'s linear map, as one
/// sgemm plus col2im (the upsampling layer of a DCGAN generator).
///
/// Each input pixel's `inChannels` vector is multiplied by the weight `[inChannels, k · k · outChannels]`, giving
/// one k×k×outChannels patch per pixel (`[n · H · W, k · k · outChannels]`, one sgemm); the patches are then
/// scatter-added into the output at stride s, cropped by the padding p (``NPETensor/Tensor/col2im2d(_:imageShape:)``),
/// and the bias added. Output `[n, H', W', outChannels]` with `H' = (H − 1)·s − 2p + k`, so that a
/// ``Conv2d`` with the same geometry maps the output size back to the input size. With k = 4, s = 2, p = 1 each
/// layer doubles the side, the DCGAN choice (Radford, Metz & Chintala 2016, arXiv:1511.06434). Output padding is
/// not supported.
public final class ConvTranspose2d: ConvolutionLayer, Layer {
    /// Weights and bias uniform in ±1/√fan-in with fan-in = k · k · outChannels (each output pixel receives
    /// that many terms at stride 1, PyTorch's convention for transposed convolutions).
    public init(inChannels: Int, outChannels: Int, geometry: ConvolutionGeometry, stream: RandomStream) {
        let taps = geometry.kernelSize * geometry.kernelSize * outChannels
        super.init(inChannels: inChannels, outChannels: outChannels, geometry: geometry, weightShape: [inChannels, taps],
                   fanIn: taps, stream: stream)
    }

    /// The output side for an input side: (side − 1)·s − 2p + k, or nil when that is not positive.
    public func outputSide(_ side: Int) -> Int? {
        let out = (side - 1) * geometry.stride - 2 * geometry.padding + geometry.kernelSize
        return out > 0 && side > 0 ? out : nil
    }

    public func callAsFunction(_ input: Variable) throws -> Variable {
        guard input.shape.count == 4, input.shape[3] == inChannels,
              let height = outputSide(input.shape[1]), let width = outputSide(input.shape[2]) else {
            throw TensorError.shapeMismatch(op: "ConvTranspose2d (expects [n, height, width, \(inChannels)])",
                                            lhs: input.shape, rhs: weight.shape)
        }
        let n = input.shape[0]
        let pixels = try input.reshaped([n * input.shape[1] * input.shape[2], inChannels])
        let patches = try Variable.matmul(pixels, weight)
        let image = try patches.col2im2d(geometry, imageShape: [n, height, width, outChannels])
        return try image + bias
    }
}
