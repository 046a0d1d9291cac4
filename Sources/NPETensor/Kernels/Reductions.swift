import Foundation

/// Reductions over one axis. The shape is split as `(outer, axis, inner)`; the reduced axis is removed.
extension Tensor {
    func checkedAxis(_ axis: Int, op: String) throws -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved < rank else { throw TensorError.invalidAxis(op: op, axis: axis, shape: shape) }
        return resolved
    }

    /// `(outer, extent, inner)` around `axis`.
    func split(at axis: Int) -> (outer: Int, extent: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    func removingAxis(_ axis: Int) -> [Int] {
        var s = shape
        s.remove(at: axis)
        return s
    }

    /// Runs a reduction kernel over the `(outer, extent, inner)` split around `axis` (negative counts from the
    /// end) into a zeroed `[outer · inner]` buffer; the axis is removed from the result's shape. The axis check,
    /// the split and the buffers live here once for every reduction.
    private func reduced(
        alongAxis axis: Int, op: String,
        _ kernel: (_ x: UnsafeBufferPointer<Float>, _ o: UnsafeMutableBufferPointer<Float>,
                   _ outer: Int, _ extent: Int, _ inner: Int) -> Void
    ) throws -> Tensor {
        let a = try checkedAxis(axis, op: op)
        let (outer, extent, inner) = split(at: a)
        var out = [Float](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in kernel(x, o, outer, extent, inner) }
        }
        return Tensor(unchecked: removingAxis(a), scalars: out)
    }

    /// The sum over `axis` (negative counts from the end); the axis is removed.
    public func sum(alongAxis axis: Int) throws -> Tensor {
        try reduced(alongAxis: axis, op: "sum") { x, o, outer, extent, inner in
            for p in 0..<outer {
                for j in 0..<extent {
                    let base = (p * extent + j) * inner
                    for q in 0..<inner { o[p * inner + q] += x[base + q] }
                }
            }
        }
    }

    /// The sum of all elements, as a rank-0 tensor. Accumulates in Double so long sums stay accurate.
    public func sum() -> Tensor {
        var total: Double = 0
        scalars.withUnsafeBufferPointer { x in for v in x { total += Double(v) } }
        return Tensor(scalar: Float(total))
    }

    /// The mean over `axis`; the axis is removed.
    public func mean(alongAxis axis: Int) throws -> Tensor {
        let a = try checkedAxis(axis, op: "mean")
        let s = try sum(alongAxis: a)
        return UnaryFunction.scale(1 / Float(max(shape[a], 1))).apply(s)
    }

    /// The mean of all elements, as a rank-0 tensor.
    public func mean() -> Tensor { Tensor(scalar: sum().scalarValue / Float(max(count, 1))) }

    /// log Σ exp over `axis`, stabilised by the maximum: m + log Σ exp(x − m). An all −∞ slice gives −∞.
    public func logSumExp(alongAxis axis: Int) throws -> Tensor {
        try reduced(alongAxis: axis, op: "logSumExp") { x, o, outer, extent, inner in
            for p in 0..<outer {
                for q in 0..<inner {
                    var m = -Float.infinity
                    for j in 0..<extent { m = max(m, x[(p * extent + j) * inner + q]) }
                    if !m.isFinite { o[p * inner + q] = m; continue }
                    var total: Float = 0
                    for j in 0..<extent { total += expf(x[(p * extent + j) * inner + q] - m) }
                    o[p * inner + q] = m + logf(total)
                }
            }
        }
    }

    /// Repeats a reduced tensor back along `axis` with `extent` copies: the adjoint of `sum(alongAxis:)`.
    func expanded(alongAxis axis: Int, extent: Int, to fullShape: [Int]) -> Tensor {
        let outer = fullShape[..<axis].reduce(1, *), inner = fullShape[(axis + 1)...].reduce(1, *)
        let count = outer * extent * inner
        let out = [Float](unsafeUninitializedCapacity: count) { o, initialized in
            scalars.withUnsafeBufferPointer { g in
                for p in 0..<outer {
                    for j in 0..<extent {
                        let base = (p * extent + j) * inner
                        for q in 0..<inner { o[base + q] = g[p * inner + q] }
                    }
                }
            }
            initialized = count
        }
        return Tensor(unchecked: fullShape, scalars: out)
    }
}
