import CBLAS

/// The one place NPEFlows calls C: `cblas_sgemm` on sub-blocks of row-major matrices, addressed by a base
/// pointer and a leading dimension (row stride).
///
/// Autoregressive sampling needs products of column *prefixes* of hidden activations with sub-blocks of the
/// masked weights (see ``AutoregressiveInverter``). ``NPETensor``'s `Tensor.matmul` works on whole tensors, so
/// the strided form lives here rather than copying blocks out before every product.
enum StridedMatrixProduct {
    /// C[m, n] = A[m, k] · B[k, n] (+ C when `accumulate`), each matrix row-major with row stride `lda`, `ldb`,
    /// `ldc`. The caller guarantees the pointers cover the addressed elements.
    @inline(__always)
    static func multiply(
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        into c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, k: Int, accumulate: Bool
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            if !accumulate { for r in 0..<m { for j in 0..<n { c[r * ldc + j] = 0 } } }
            return
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                    a, Int32(lda), b, Int32(ldb), accumulate ? 1 : 0, c, Int32(ldc))
    }
}
