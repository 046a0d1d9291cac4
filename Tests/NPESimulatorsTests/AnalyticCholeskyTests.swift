import Foundation
import NPETestSupport
import Testing
@testable import NPESimulators

@Suite("Cholesky factor")
struct AnalyticCholeskyTests {
    /// A fixed SPD matrix: B Bᵀ + I for a fixed B, 4 × 4.
    static let matrix: [Double] = {
        let b: [Double] = [1, 2, 0, -1, 0.5, -1, 3, 0, 2, 0, 1, 1, -1, 1, 0, 2]
        return (0..<16).map { index in
            let (i, j) = (index / 4, index % 4)
            return (0..<4).reduce(i == j ? 1 : 0) { $0 + b[i * 4 + $1] * b[j * 4 + $1] }
        }
    }()

    @Test func factorReproducesTheMatrixAndSolves() throws {
        let factor = try CholeskyFactor(symmetric: Self.matrix, dimension: 4)
        for i in 0..<4 {
            for j in 0..<4 {
                let product = (0..<4).reduce(0.0) { $0 + factor.lower[i * 4 + $1] * factor.lower[j * 4 + $1] }
                // Entries are O(10); double rounding over 4 terms, 1e-12 absolute.
                expectClose(product, Self.matrix[i * 4 + j], absolute: 1e-12)
                if j > i { #expect(factor.lower[i * 4 + j] == 0) }
            }
        }
        let b: [Double] = [1, -2, 0.5, 3]
        let x = factor.solve(b)
        for i in 0..<4 {
            let row = (0..<4).reduce(0.0) { $0 + Self.matrix[i * 4 + $1] * x[$1] }
            expectClose(row, b[i], absolute: 1e-12)
        }
        let inverse = factor.inverse()
        for i in 0..<4 {
            for j in 0..<4 {
                let entry = (0..<4).reduce(0.0) { $0 + Self.matrix[i * 4 + $1] * inverse[$1 * 4 + j] }
                expectClose(entry, i == j ? 1 : 0, absolute: 1e-12)
            }
        }
    }

    @Test func logDeterminantOfAKnownMatrix() throws {
        // [[4, 2], [2, 3]] has determinant 8.
        let factor = try CholeskyFactor(symmetric: [4, 2, 2, 3], dimension: 2)
        expectClose(factor.logDeterminant, log(8.0), relative: 1e-15)
        expectClose(factor.squaredMahalanobisDistance([1, 0], from: [0, 0]), 3.0 / 8, relative: 1e-15)
    }

    @Test func rejectsAMatrixThatIsNotPositiveDefinite() {
        #expect(throws: AnalyticProblemError.notPositiveDefinite(pivot: 1, value: -3)) {
            try CholeskyFactor(symmetric: [1, 2, 2, 1], dimension: 2)
        }
    }
}
