/// The im2col lowering for 2-D convolution, channels-last (NHWC).
///
/// Input `[n, height, width, channels]`; a square kernel k with stride s and zero padding p (one
/// ``ConvolutionGeometry`` for both axes) gives `H' = (height + 2p − k) / s + 1` and likewise `W'`. The patch
/// matrix is `[n · H' · W', k · k · channels]`: row (b, y, x) holds the input window whose top-left corner is
/// `(y·s − p, x·s − p)`, ordered kernel-row, kernel-column, channel-fastest (zeros outside the image). A
/// convolution is then one sgemm with a `[k · k · channels, outChannels]` weight, and the `[n · H' · W', outChannels]`
/// result already is the NHWC output: no transpose pass.
extension Tensor {
    /// Patch matrix of a `[n, height, width, channels]` input, see the extension's notes.
    public func im2col2d(_ geometry: ConvolutionGeometry) throws -> Tensor {
        guard rank == 4 else { throw TensorError.rankMismatch(op: "im2col2d", expected: 4, shape: shape) }
        guard let outHeight = geometry.outputLength(shape[1]), let outWidth = geometry.outputLength(shape[2]) else {
            throw TensorError.shapeMismatch(op: "im2col2d (kernel \(geometry.kernelSize), padding \(geometry.padding))",
                                            lhs: shape, rhs: [geometry.kernelSize, geometry.kernelSize])
        }
        let patchWidth = geometry.kernelSize * geometry.kernelSize * shape[3]
        var out = [Float](repeating: 0, count: shape[0] * outHeight * outWidth * patchWidth)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                Tensor.forEachPatchRun(geometry, imageShape: shape, outHeight: outHeight, outWidth: outWidth) { patch, image, count in
                    for c in 0..<count { o[patch + c] = x[image + c] }
                }
            }
        }
        return Tensor(unchecked: [shape[0] * outHeight * outWidth, patchWidth], scalars: out)
    }

    /// The adjoint of ``im2col2d(_:)``: adds every patch entry back into the image position it was copied from.
    /// `self` is a `[n · H' · W', k · k · channels]` patch matrix of an image of `imageShape` `[n, H, W, channels]`.
    /// It is also the scatter step of a transposed convolution (``ConvTranspose2d`` in NPENN).
    public func col2im2d(_ geometry: ConvolutionGeometry, imageShape: [Int]) throws -> Tensor {
        guard imageShape.count == 4, let outHeight = geometry.outputLength(imageShape[1]),
              let outWidth = geometry.outputLength(imageShape[2]),
              shape == [imageShape[0] * outHeight * outWidth, geometry.kernelSize * geometry.kernelSize * imageShape[3]]
        else {
            throw TensorError.shapeMismatch(op: "col2im2d (patch matrix vs image)", lhs: shape, rhs: imageShape)
        }
        var out = [Float](repeating: 0, count: imageShape.reduce(1, *))
        scalars.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { o in
                Tensor.forEachPatchRun(geometry, imageShape: imageShape, outHeight: outHeight, outWidth: outWidth) { patch, image, count in
                    for c in 0..<count { o[image + c] += g[patch + c] }
                }
            }
        }
        return Tensor(unchecked: imageShape, scalars: out)
    }

    /// Calls `body(patchOffset, imageOffset, channels)` for every kernel tap that falls inside the image: the
    /// `channels` contiguous floats at `patchOffset` of the patch matrix pair with those at `imageOffset` of the
    /// image. Shared by the lowering and its adjoint so the two cannot disagree on the index map.
    @inline(__always)
    static func forEachPatchRun(
        _ geometry: ConvolutionGeometry, imageShape: [Int], outHeight: Int, outWidth: Int,
        _ body: (Int, Int, Int) -> Void
    ) {
        let (n, height, width, channels) = (imageShape[0], imageShape[1], imageShape[2], imageShape[3])
        let k = geometry.kernelSize
        let patchWidth = k * k * channels
        for b in 0..<n {
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    let row = ((b * outHeight + oy) * outWidth + ox) * patchWidth
                    for ky in 0..<k {
                        let y = oy * geometry.stride - geometry.padding + ky
                        guard y >= 0, y < height else { continue }
                        for kx in 0..<k {
                            let x = ox * geometry.stride - geometry.padding + kx
                            guard x >= 0, x < width else { continue }
                            body(row + (ky * k + kx) * channels, ((b * height + y) * width + x) * channels, channels)
                        }
                    }
                }
            }
        }
    }
}
