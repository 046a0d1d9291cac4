import Foundation

/// The Cholesky factor L of a small symmetric positive-definite matrix S = L Lᵀ, for the analytic posteriors.
///
/// The Cholesky–Banachiewicz algorithm in double precision, O(n³/3); meant for n up to a few hundred
/// (posterior precisions and evidence covariances), not for training-time linear algebra.
public struct CholeskyFactor: Sendable, Equatable {
    /// n, the matrix order.
    public let dimension: Int
    /// L, row-major n × n, lower triangular (the upper triangle is zero).
    public let lower: [Double]

    /// Factors S.
    ///
    /// - Parameters:
    ///   - matrix: S, row-major n × n; only the lower triangle is read (S is assumed symmetric).
    ///   - dimension: n.
    /// - Throws: ``AnalyticProblemError/notPositiveDefinite(pivot:value:)`` at the first pivot that is not > 0.
    public init(symmetric matrix: [Double], dimension: Int) throws {
        precondition(matrix.count == dimension * dimension, "an n × n matrix")
        var lower = [Double](repeating: 0, count: dimension * dimension)
        for i in 0..<dimension {
            for j in 0...i {
                var sum = matrix[i * dimension + j]
                for k in 0..<j { sum -= lower[i * dimension + k] * lower[j * dimension + k] }
                if i == j {
                    guard sum > 0, sum.isFinite else {
                        throw AnalyticProblemError.notPositiveDefinite(pivot: i, value: sum)
                    }
                    lower[i * dimension + i] = sum.squareRoot()
                } else {
                    lower[i * dimension + j] = sum / lower[j * dimension + j]
                }
            }
        }
        self.dimension = dimension
        self.lower = lower
    }

    /// log det S = 2 Σ log L_ii.
    public var logDeterminant: Double {
        (0..<dimension).reduce(0) { $0 + 2 * log(lower[$1 * dimension + $1]) }
    }

    /// y = L⁻¹ b (forward substitution).
    public func solveLower(_ b: [Double]) -> [Double] {
        precondition(b.count == dimension, "one value per row")
        var y = b
        for i in 0..<dimension {
            for k in 0..<i { y[i] -= lower[i * dimension + k] * y[k] }
            y[i] /= lower[i * dimension + i]
        }
        return y
    }

    /// x = L⁻ᵀ y (back substitution).
    public func solveUpper(_ y: [Double]) -> [Double] {
        precondition(y.count == dimension, "one value per row")
        var x = y
        for i in stride(from: dimension - 1, through: 0, by: -1) {
            for k in (i + 1)..<dimension { x[i] -= lower[k * dimension + i] * x[k] }
            x[i] /= lower[i * dimension + i]
        }
        return x
    }

    /// x = S⁻¹ b.
    public func solve(_ b: [Double]) -> [Double] { solveUpper(solveLower(b)) }

    /// S⁻¹, row-major n × n, by solving against each unit vector.
    public func inverse() -> [Double] {
        var result = [Double](repeating: 0, count: dimension * dimension)
        for column in 0..<dimension {
            var unit = [Double](repeating: 0, count: dimension)
            unit[column] = 1
            let solution = solve(unit)
            for row in 0..<dimension { result[row * dimension + column] = solution[row] }
        }
        return result
    }

    /// (v − μ)ᵀ S⁻¹ (v − μ) = |L⁻¹(v − μ)|², the squared Mahalanobis distance.
    public func squaredMahalanobisDistance(_ v: [Double], from mean: [Double]) -> Double {
        let whitened = solveLower(zip(v, mean).map { $0 - $1 })
        return whitened.reduce(0) { $0 + $1 * $1 }
    }
}

/// Why an analytic problem could not be built or evaluated.
public enum AnalyticProblemError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The Cholesky factorisation met a pivot that is not positive.
    case notPositiveDefinite(pivot: Int, value: Double)
    /// A problem's arrays do not fit together.
    case shapeMismatch(String)
    /// A scale (a standard deviation) is not finite and positive.
    case nonPositiveScale(name: String, index: Int, value: Double)

    public var description: String {
        switch self {
        case let .notPositiveDefinite(pivot, value):
            return "matrix is not positive definite: pivot \(pivot) is \(value)"
        case let .shapeMismatch(reason): return "shape mismatch: \(reason)"
        case let .nonPositiveScale(name, index, value): return "\(name)[\(index)] = \(value) must be finite and > 0"
        }
    }
}
