import CBLAS
import CMalloc

/// Matrix products through OpenBLAS `cblas_sgemm` (row-major).
extension Tensor {
    /// `op(lhs) · op(rhs)` where `op` transposes when asked. `lhs` is `[m, k]` (or `[k, m]` transposed) and
    /// `rhs` is `[k, n]` (or `[n, k]` transposed); the result is `[m, n]`.
    public static func matmul(
        _ lhs: Tensor, _ rhs: Tensor, transposeLHS: Bool = false, transposeRHS: Bool = false
    ) throws -> Tensor {
        guard lhs.rank == 2, rhs.rank == 2 else {
            throw TensorError.shapeMismatch(op: "matmul (rank 2 required)", lhs: lhs.shape, rhs: rhs.shape)
        }
        let m = transposeLHS ? lhs.shape[1] : lhs.shape[0]
        let k = transposeLHS ? lhs.shape[0] : lhs.shape[1]
        let k2 = transposeRHS ? rhs.shape[1] : rhs.shape[0]
        let n = transposeRHS ? rhs.shape[0] : rhs.shape[1]
        guard k == k2 else {
            throw TensorError.shapeMismatch(
                op: "matmul(transposeLHS: \(transposeLHS), transposeRHS: \(transposeRHS))", lhs: lhs.shape, rhs: rhs.shape)
        }
        // sgemm with β = 0 overwrites every element, so the buffer is not zero-filled first (k = 0 aside).
        var out = k == 0 ? [Float](repeating: 0, count: m * n)
            : [Float](unsafeUninitializedCapacity: m * n) { _, initialized in initialized = m * n }
        gemm(lhs.scalars, rhs.scalars, into: &out, m: m, n: n, k: k,
             transposeLHS: transposeLHS, transposeRHS: transposeRHS, accumulate: false)
        return Tensor(unchecked: [m, n], scalars: out)
    }

    /// `out = op(a)·op(b) (+ out when accumulate)` on whole row-major arrays.
    static func gemm(
        _ a: [Float], _ b: [Float], into out: inout [Float], m: Int, n: Int, k: Int,
        transposeLHS: Bool, transposeRHS: Bool, accumulate: Bool, alpha: Float = 1
    ) {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    BLAS.multiply(pa.baseAddress!, lda: transposeLHS ? m : k, transposeLHS: transposeLHS,
                                  pb.baseAddress!, ldb: transposeRHS ? k : n, transposeRHS: transposeRHS,
                                  into: po.baseAddress!, ldc: n, m: m, n: n, k: k, accumulate: accumulate, alpha: alpha)
                }
            }
        }
    }

    /// `x · W + b` in one pass: the bias rows are written first and sgemm accumulates onto them (β = 1), so no
    /// separate broadcast-add pass is needed. `x` is `[n, in]`, `weight` `[in, out]`, `bias` `[out]`.
    public static func affine(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard x.rank == 2, weight.rank == 2, x.shape[1] == weight.shape[0] else {
            throw TensorError.shapeMismatch(op: "linear (x · weight)", lhs: x.shape, rhs: weight.shape)
        }
        let rows = x.shape[0], outputs = weight.shape[1]
        var out: [Float]
        if let bias {
            guard bias.count == outputs, bias.rank <= 2, bias.shape.last == outputs else {
                throw TensorError.shapeMismatch(op: "linear (bias)", lhs: [rows, outputs], rhs: bias.shape)
            }
            out = [Float](unsafeUninitializedCapacity: rows * outputs) { o, initialized in
                bias.scalars.withUnsafeBufferPointer { b in
                    guard let source = b.baseAddress, let target = o.baseAddress else { return }
                    for r in 0..<rows { (target + r * outputs).update(from: source, count: outputs) }
                }
                initialized = rows * outputs
            }
        } else {
            out = [Float](repeating: 0, count: rows * outputs)
        }
        gemm(x.scalars, weight.scalars, into: &out, m: rows, n: outputs, k: x.shape[1],
             transposeLHS: false, transposeRHS: false, accumulate: true)
        return Tensor(unchecked: [rows, outputs], scalars: out)
    }

    /// Column sums of a rank-2 tensor, `[n, m] -> [m]`, as one sgemv with a ones vector (the bias gradient of
    /// every linear layer, so it is worth BLAS's vectorised kernel).
    func columnSums() -> Tensor {
        let rows = shape[0], columns = shape[1]
        var out = [Float](repeating: 0, count: columns)
        guard rows > 0, columns > 0 else { return Tensor(unchecked: [columns], scalars: out) }
        let ones = [Float](repeating: 1, count: rows)
        scalars.withUnsafeBufferPointer { g in
            ones.withUnsafeBufferPointer { one in
                out.withUnsafeMutableBufferPointer { o in
                    cblas_sgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(columns), 1,
                                g.baseAddress, Int32(columns), one.baseAddress, 1, 0, o.baseAddress, 1)
                }
            }
        }
        return Tensor(unchecked: [columns], scalars: out)
    }

    /// The 2-D transpose.
    public func transposed() throws -> Tensor {
        guard rank == 2 else { throw TensorError.rankMismatch(op: "transposed", expected: 2, shape: shape) }
        let rows = shape[0], columns = shape[1]
        let out = [Float](unsafeUninitializedCapacity: count) { o, initialized in
            scalars.withUnsafeBufferPointer { x in
                for r in 0..<rows { for c in 0..<columns { o[c * rows + r] = x[r * columns + c] } }
            }
            initialized = count
        }
        return Tensor(unchecked: [columns, rows], scalars: out)
    }
}

/// Process-wide engine settings.
public enum Engine {
    /// Sets BLAS threads and keeps freed tensor buffers in the heap.
    ///
    /// glibc serves allocations of 128 KiB and more (a 256×128 activation) with fresh `mmap`s, and gives them
    /// back on free, so every training step page-faults its activations in again: measured here as about 72
    /// minor faults per MLP step; with the thresholds raised, 0.3 per step, and the single-threaded step fell from
    /// 2.36 to 1.87 ms in the same (loaded) sitting. Raising the mmap and trim thresholds lets freed buffers
    /// be reused; memory then stays at its high-water mark, which a training process reaches anyway.
    public static func configure(blasThreads: Int) {
        BLAS.setThreadCount(blasThreads)
        _ = npe_keep_freed_buffers(64 << 20, 256 << 20)
    }
}

/// Control of OpenBLAS's own thread pool. Data-parallel workers each keep BLAS at one thread, so that N workers
/// use N cores rather than N² threads fighting over them.
public enum BLAS {
    /// Sets the number of threads OpenBLAS uses for every later call (process-wide).
    public static func setThreadCount(_ count: Int) { openblas_set_num_threads(Int32(max(1, count))) }
    /// The number of threads OpenBLAS currently uses.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The single entry point to `cblas_sgemm`: C[m, n] = α op(A) · op(B) (+ C when `accumulate`), all row-major
    /// with row strides `lda`, `ldb`, `ldc`, so sub-blocks of larger matrices can be multiplied in place (the
    /// autoregressive sampler multiplies column prefixes of hidden activations this way).
    /// The caller guarantees the pointers cover every addressed element.
    @inlinable
    public static func multiply(
        _ a: UnsafePointer<Float>, lda: Int, transposeLHS: Bool = false,
        _ b: UnsafePointer<Float>, ldb: Int, transposeRHS: Bool = false,
        into c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, k: Int, accumulate: Bool, alpha: Float = 1
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            if !accumulate { for r in 0..<m { for j in 0..<n { c[r * ldc + j] = 0 } } }
            return
        }
        cblas_sgemm(CblasRowMajor, transposeLHS ? CblasTrans : CblasNoTrans, transposeRHS ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), accumulate ? 1 : 0, c, Int32(ldc))
    }
}
