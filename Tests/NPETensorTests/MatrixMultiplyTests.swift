import Testing
@testable import NPETensor
import NPETestSupport

/// A triple loop in Double: the reference the BLAS path must agree with.
private func naiveProduct(_ a: Tensor, _ b: Tensor, transposeLHS: Bool, transposeRHS: Bool) -> Tensor {
    let m = transposeLHS ? a.shape[1] : a.shape[0], k = transposeLHS ? a.shape[0] : a.shape[1]
    let n = transposeRHS ? b.shape[0] : b.shape[1]
    var out = Tensor.zeros([m, n])
    for i in 0..<m {
        for j in 0..<n {
            var total = 0.0
            for p in 0..<k {
                let x = transposeLHS ? a[p, i] : a[i, p]
                let y = transposeRHS ? b[j, p] : b[p, j]
                total += Double(x) * Double(y)
            }
            out[i, j] = Float(total)
        }
    }
    return out
}

@Test("sgemm agrees with a naive product for every transpose combination",
      arguments: [(false, false), (true, false), (false, true), (true, true)])
func matmulAgreesWithNaive(_ transposes: (Bool, Bool)) throws {
    let (ta, tb) = transposes
    // Odd sizes exercise BLAS edge kernels; k = 37 products of O(1) normals have |sum| ~ 6, so Float32
    // accumulation error is ~ 37 · 6e-8 · 6 ≈ 1e-5: 1e-4 is a safe bound.
    let a = testTensor(ta ? [37, 13] : [13, 37], seed: 1)
    let b = testTensor(tb ? [11, 37] : [37, 11], seed: 2)
    let fast = try Tensor.matmul(a, b, transposeLHS: ta, transposeRHS: tb)
    let slow = naiveProduct(a, b, transposeLHS: ta, transposeRHS: tb)
    #expect(fast.shape == [13, 11])
    #expect(try fast.maxAbsoluteDifference(slow) < 1e-4)
}

@Test func affineEqualsProductPlusBias() throws {
    let x = testTensor([9, 5], seed: 3), w = testTensor([5, 7], seed: 4), b = testTensor([7], seed: 5)
    let fused = try Tensor.affine(x, weight: w, bias: b)
    let reference = try Tensor.matmul(x, w) + b
    #expect(try fused.maxAbsoluteDifference(reference) < 1e-5)
}

@Test func matmulRejectsIncompatibleShapes() {
    #expect(throws: TensorError.shapeMismatch(op: "matmul(transposeLHS: false, transposeRHS: false)", lhs: [2, 3], rhs: [4, 5])) {
        try Tensor.matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]))
    }
    #expect(throws: TensorError.shapeMismatch(op: "linear (x · weight)", lhs: [2, 3], rhs: [4, 5])) {
        try Tensor.affine(Tensor.zeros([2, 3]), weight: Tensor.zeros([4, 5]), bias: nil)
    }
}
