/// Slicing, concatenation and gathers. Networks keep features on the last axis, so slicing and concatenation act
/// there ("columns"); gathers pick rows (batch entries).
extension Tensor {
    /// Columns `range` of a rank-2 tensor: `[n, m] -> [n, range.count]`.
    public func sliceColumns(_ range: Range<Int>) throws -> Tensor {
        guard rank == 2 else { throw TensorError.rankMismatch(op: "sliceColumns", expected: 2, shape: shape) }
        let columns = shape[1], rows = shape[0]
        guard range.lowerBound >= 0, range.upperBound <= columns else {
            throw TensorError.indexOutOfRange(op: "sliceColumns", index: range.upperBound, extent: columns + 1)
        }
        let width = range.count
        let out = [Float](unsafeUninitializedCapacity: rows * width) { o, initialized in
            scalars.withUnsafeBufferPointer { x in
                for r in 0..<rows {
                    for c in 0..<width { o[r * width + c] = x[r * columns + range.lowerBound + c] }
                }
            }
            initialized = rows * width
        }
        return Tensor(unchecked: [rows, width], scalars: out)
    }

    /// Rank-2 tensors with equal row counts side by side: `[n, a], [n, b] -> [n, a + b]`.
    public static func concatenateColumns(_ parts: [Tensor]) throws -> Tensor {
        guard let first = parts.first else { throw TensorError.invalidShape([], op: "concatenateColumns (no parts)") }
        for part in parts {
            guard part.rank == 2, part.shape[0] == first.shape[0] else {
                throw TensorError.shapeMismatch(op: "concatenateColumns", lhs: first.shape, rhs: part.shape)
            }
        }
        let rows = first.shape[0]
        let total = parts.reduce(0) { $0 + $1.shape[1] }
        var out = [Float](repeating: 0, count: rows * total)
        out.withUnsafeMutableBufferPointer { o in
            var offset = 0
            for part in parts {
                let width = part.shape[1]
                part.scalars.withUnsafeBufferPointer { x in
                    for r in 0..<rows {
                        for c in 0..<width { o[r * total + offset + c] = x[r * width + c] }
                    }
                }
                offset += width
            }
        }
        return Tensor(unchecked: [rows, total], scalars: out)
    }

    /// Rows `indices` of a tensor (any rank ≥ 1; a row is everything after the first axis).
    public func gatherRows(_ indices: [Int]) throws -> Tensor {
        guard rank >= 1 else { throw TensorError.rankMismatch(op: "gatherRows", expected: 1, shape: shape) }
        let rows = shape[0], width = rows == 0 ? 0 : count / rows
        for i in indices where i < 0 || i >= rows {
            throw TensorError.indexOutOfRange(op: "gatherRows", index: i, extent: rows)
        }
        var outShape = shape
        outShape[0] = indices.count
        let out = [Float](unsafeUninitializedCapacity: indices.count * width) { o, initialized in
            scalars.withUnsafeBufferPointer { x in
                for (k, i) in indices.enumerated() {
                    for c in 0..<width { o[k * width + c] = x[i * width + c] }
                }
            }
            initialized = indices.count * width
        }
        return Tensor(unchecked: outShape, scalars: out)
    }

    /// The adjoint of `gatherRows`: scatters rows of `self` into a zero tensor of `shape`, adding where an index
    /// repeats.
    func scatterAddRows(_ indices: [Int], into shape: [Int]) -> Tensor {
        let width = indices.isEmpty ? 0 : count / indices.count
        var out = [Float](repeating: 0, count: shape.reduce(1, *))
        scalars.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { o in
                for (k, i) in indices.enumerated() {
                    for c in 0..<width { o[i * width + c] += g[k * width + c] }
                }
            }
        }
        return Tensor(unchecked: shape, scalars: out)
    }

    /// Places a `[n, w]` tensor at columns `offset ..< offset + w` of a zero `[n, total]` tensor: the adjoint
    /// of `sliceColumns`.
    func paddedColumns(offset: Int, total: Int) -> Tensor {
        let rows = shape[0], width = shape[1]
        var out = [Float](repeating: 0, count: rows * total)
        scalars.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<rows { for c in 0..<width { o[r * total + offset + c] = g[r * width + c] } }
            }
        }
        return Tensor(unchecked: [rows, total], scalars: out)
    }
}
