/// The im2col lowering for 1-D convolution, channels-last.
///
/// Input `[n, length, channels]`; with kernel size k, stride s and zero padding p, the output length is
/// `L' = (length + 2p − k) / s + 1` and the patch matrix is `[n · L', k · channels]`, where row (b, t) holds
/// input positions `t·s − p … t·s − p + k − 1` (zeros outside), channel-fastest. A convolution is then one sgemm
/// with a `[k · channels, outChannels]` weight, whose `[n · L', outChannels]` result already is the
/// channels-last output `[n, L', outChannels]`: no transpose pass.
public struct ConvolutionGeometry: Sendable, Equatable, Codable {
    public var kernelSize: Int
    public var stride: Int
    public var padding: Int

    public init(kernelSize: Int, stride: Int = 1, padding: Int = 0) {
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    /// L' for an input of `length`, or nil when the kernel does not fit.
    public func outputLength(_ length: Int) -> Int? {
        let span = length + 2 * padding - kernelSize
        guard kernelSize > 0, stride > 0, padding >= 0, span >= 0 else { return nil }
        return span / stride + 1
    }
}

extension ConvolutionGeometry {
    /// Visits every in-bounds tap of the lowering: for patch row (b, t) and kernel position j, the offset of the
    /// `channels` contiguous patch entries and of the input position `t·s − p + j` they copy (padding taps are
    /// skipped, they stay zero). ``Tensor/im2col(_:)`` gathers along these pairs and its adjoint scatters back, so
    /// both walk the same index map by construction.
    @inline(__always)
    func forEachTap(batch n: Int, length: Int, channels: Int, _ body: (_ patch: Int, _ input: Int) -> Void) {
        guard let outLength = outputLength(length) else { return }
        let width = kernelSize * channels
        for b in 0..<n {
            for t in 0..<outLength {
                let row = (b * outLength + t) * width
                for j in 0..<kernelSize {
                    let position = t * stride - padding + j
                    guard position >= 0, position < length else { continue }
                    body(row + j * channels, (b * length + position) * channels)
                }
            }
        }
    }
}

extension Tensor {
    /// Patch matrix of a `[n, length, channels]` input, see ``ConvolutionGeometry``.
    public func im2col(_ geometry: ConvolutionGeometry) throws -> Tensor {
        guard rank == 3 else { throw TensorError.rankMismatch(op: "im2col", expected: 3, shape: shape) }
        let (n, length, channels) = (shape[0], shape[1], shape[2])
        guard let outLength = geometry.outputLength(length) else {
            throw TensorError.shapeMismatch(op: "im2col (kernel \(geometry.kernelSize), padding \(geometry.padding))",
                                            lhs: shape, rhs: [geometry.kernelSize])
        }
        let width = geometry.kernelSize * channels
        var out = [Float](repeating: 0, count: n * outLength * width)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                geometry.forEachTap(batch: n, length: length, channels: channels) { patch, source in
                    for c in 0..<channels { o[patch + c] = x[source + c] }
                }
            }
        }
        return Tensor(unchecked: [n * outLength, width], scalars: out)
    }

    /// The adjoint of ``im2col(_:)``: adds each patch entry back to the input position it came from.
    func col2im(_ geometry: ConvolutionGeometry, inputShape: [Int]) -> Tensor {
        let (n, length, channels) = (inputShape[0], inputShape[1], inputShape[2])
        var out = [Float](repeating: 0, count: n * length * channels)
        scalars.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { o in
                geometry.forEachTap(batch: n, length: length, channels: channels) { patch, target in
                    for c in 0..<channels { o[target + c] += g[patch + c] }
                }
            }
        }
        return Tensor(unchecked: inputShape, scalars: out)
    }
}
