import NPESupport

/// Tensors of counter-based draws: the engine's view of a ``RandomStream`` (NPESupport).
extension RandomStream {
    /// A tensor of `shape` filled with normal draws starting at `start`, times `scale`.
    public func normalTensor(_ shape: [Int], startingAt start: UInt64 = 0, scale: Float = 1) -> Tensor {
        var scalars = [Float](repeating: 0, count: shape.reduce(1, *))
        scalars.withUnsafeMutableBufferPointer { fillNormal($0, startingAt: start, scale: scale) }
        return Tensor(unchecked: shape, scalars: scalars)
    }

    /// A tensor of `shape` filled with uniform draws in (low, high) starting at `start`.
    public func uniformTensor(_ shape: [Int], low: Float = 0, high: Float = 1, startingAt start: UInt64 = 0) -> Tensor {
        var scalars = [Float](repeating: 0, count: shape.reduce(1, *))
        scalars.withUnsafeMutableBufferPointer { buffer in
            fillUniform(buffer, startingAt: start)
            for i in 0..<buffer.count { buffer[i] = low + (high - low) * buffer[i] }
        }
        return Tensor(unchecked: shape, scalars: scalars)
    }
}
