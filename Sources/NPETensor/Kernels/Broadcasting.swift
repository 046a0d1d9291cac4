/// NumPy-style broadcasting for binary elementwise ops.
///
/// Shapes are aligned at their last axis; an extent of 1 (or a missing leading axis) stretches to match the
/// other operand. Anything else is a ``TensorError/shapeMismatch(op:lhs:rhs:)``. Row vectors `[M]`/`[1, M]`
/// against `[N, M]`, column vectors `[N, 1]`, and scalars take fast paths.
extension Tensor {
    /// The broadcast result shape of `lhs` and `rhs`, or a mismatch error naming `op`.
    public static func broadcastShape(_ lhs: [Int], _ rhs: [Int], op: String) throws -> [Int] {
        if lhs == rhs { return lhs }
        let rank = max(lhs.count, rhs.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let l = axis < rank - lhs.count ? 1 : lhs[axis - (rank - lhs.count)]
            let r = axis < rank - rhs.count ? 1 : rhs[axis - (rank - rhs.count)]
            guard l == r || l == 1 || r == 1 else { throw TensorError.shapeMismatch(op: op, lhs: lhs, rhs: rhs) }
            result[axis] = l == 1 ? r : l
        }
        return result
    }

    /// Element strides of `shape` seen from a broadcast result of rank `rank`: 0 along stretched axes.
    static func broadcastStrides(_ shape: [Int], toRank rank: Int, resultShape: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            let resultAxis = axis + rank - shape.count
            strides[resultAxis] = (shape[axis] == 1 && resultShape[resultAxis] != 1) ? 0 : step
            step *= shape[axis]
        }
        return strides
    }

    /// Sums `self` (a broadcast result) down to `shape`: the adjoint of broadcasting, used by every backward
    /// rule of a broadcasting op.
    func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let targetCount = target.reduce(1, *)
        var out = [Float](repeating: 0, count: targetCount)
        let columns = columnCount
        scalars.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { o in
                if targetCount == 1 {
                    var total: Float = 0
                    for i in 0..<g.count { total += g[i] }
                    o[0] = total
                } else if rank == 2, targetCount == columns, target.last == columns {
                    // Row vector: sum over the batch axis.
                    for r in 0..<rowCount {
                        let base = r * columns
                        for c in 0..<columns { o[c] += g[base + c] }
                    }
                } else if rank == 2, target == [rowCount, 1] {
                    for r in 0..<rowCount {
                        var total: Float = 0
                        let base = r * columns
                        for c in 0..<columns { total += g[base + c] }
                        o[r] = total
                    }
                } else {
                    let strides = Tensor.broadcastStrides(target, toRank: rank, resultShape: shape)
                    Tensor.forEachIndex(shape) { linear, offset in o[offset(strides)] += g[linear] }
                }
            }
        }
        return Tensor(unchecked: target, scalars: out)
    }

    /// Visits every element of `shape` in row-major order, with a closure that maps a stride vector to an
    /// element offset for the current multi-index. General but slow; only the rare non-fast paths use it.
    static func forEachIndex(_ shape: [Int], _ body: (Int, ([Int]) -> Int) -> Void) {
        let count = shape.reduce(1, *)
        guard count > 0 else { return }
        var index = [Int](repeating: 0, count: shape.count)
        for linear in 0..<count {
            body(linear) { strides in
                var offset = 0
                for axis in 0..<index.count { offset += index[axis] * strides[axis] }
                return offset
            }
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
    }
}

/// A scalar binary function, specialised into each kernel at compile time.
protocol BinaryScalarFunction {
    static func apply(_ a: Float, _ b: Float) -> Float
}
enum AddFunction: BinaryScalarFunction { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a + b } }
enum SubtractFunction: BinaryScalarFunction { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a - b } }
enum MultiplyFunction: BinaryScalarFunction { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a * b } }
enum DivideFunction: BinaryScalarFunction { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a / b } }

extension Tensor {
    /// `f(lhs, rhs)` elementwise with broadcasting.
    static func binary<F: BinaryScalarFunction>(_ lhs: Tensor, _ rhs: Tensor, _: F.Type, op: String) throws -> Tensor {
        let shape = try broadcastShape(lhs.shape, rhs.shape, op: op)
        let count = shape.reduce(1, *)
        let out = [Float](unsafeUninitializedCapacity: count) { o, initialized in
            lhs.scalars.withUnsafeBufferPointer { a in
                rhs.scalars.withUnsafeBufferPointer { b in
                    let columns = shape.last ?? 1
                    if a.count == count && b.count == count {
                        for i in 0..<count { o[i] = F.apply(a[i], b[i]) }
                    } else if b.count == 1 {
                        let s = b[0]
                        for i in 0..<count { o[i] = F.apply(a[i], s) }
                    } else if a.count == 1 {
                        let s = a[0]
                        for i in 0..<count { o[i] = F.apply(s, b[i]) }
                    } else if a.count == count && b.count == columns && rhs.shape.last == columns {
                        for r in 0..<(count / columns) {
                            let base = r * columns
                            for c in 0..<columns { o[base + c] = F.apply(a[base + c], b[c]) }
                        }
                    } else if b.count == count && a.count == columns && lhs.shape.last == columns {
                        for r in 0..<(count / columns) {
                            let base = r * columns
                            for c in 0..<columns { o[base + c] = F.apply(a[c], b[base + c]) }
                        }
                    } else if shape.count == 2 && a.count == count && rhs.shape == [shape[0], 1] {
                        for r in 0..<shape[0] {
                            let base = r * columns, s = b[r]
                            for c in 0..<columns { o[base + c] = F.apply(a[base + c], s) }
                        }
                    } else if shape.count == 2 && b.count == count && lhs.shape == [shape[0], 1] {
                        for r in 0..<shape[0] {
                            let base = r * columns, s = a[r]
                            for c in 0..<columns { o[base + c] = F.apply(s, b[base + c]) }
                        }
                    } else {
                        let sa = broadcastStrides(lhs.shape, toRank: shape.count, resultShape: shape)
                        let sb = broadcastStrides(rhs.shape, toRank: shape.count, resultShape: shape)
                        forEachIndex(shape) { i, offset in o[i] = F.apply(a[offset(sa)], b[offset(sb)]) }
                    }
                }
            }
            initialized = count
        }
        return Tensor(unchecked: shape, scalars: out)
    }
}
