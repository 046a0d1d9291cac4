import Foundation

/// A linear-Gaussian test problem with an exact posterior, the oracle for NPE tests.
///
/// θ ∈ ℝᴰ with independent priors θ_d ~ N(μ₀_d, s_d²); x = A θ + b + ε with ε ~ N(0, diag σ²), x ∈ ℝᴹ.
/// The posterior is Gaussian with
///
///   precision P = S₀⁻¹ + Aᵀ Σₙ⁻¹ A,   covariance P⁻¹,   mean P⁻¹ (S₀⁻¹ μ₀ + Aᵀ Σₙ⁻¹ (x − b)),
///
/// and the evidence is x ~ N(A μ₀ + b, A S₀ Aᵀ + Σₙ) (Bishop 2006, §2.3.3). sbi's `linear_gaussian` is the
/// same idea with A = I; a general A makes the parameters mix, which tests a flow's correlations.
///
/// As a ``Simulator`` it is noise-free, x = A θ + b, with inputs `theta_1`…`theta_D`; ``noiseModel`` declares
/// the Gaussian noise the trainer adds, so a dataset built from ``prior`` and this simulator is a faithful
/// sample of the joint p(θ, x).
public struct LinearGaussianProblem: RowSimulator, Sendable, Equatable {
    /// A, row-major M × D.
    public let matrix: [Double]
    /// b, M values.
    public let offset: [Double]
    /// μ₀ and s (prior means and standard deviations), D values each.
    public let priorMean: [Double]
    public let priorStandardDeviation: [Double]
    /// σ, the noise standard deviation of each output, M values.
    public let noiseStandardDeviation: [Double]

    public var name: String { "linear-gaussian" }
    public var version: String { "1" }
    /// D.
    public var thetaCount: Int { priorMean.count }
    /// M.
    public var outputCount: Int { offset.count }
    public var inputNames: [String] { (1...thetaCount).map { "theta_\($0)" } }

    /// - Throws: ``AnalyticProblemError`` for inconsistent sizes or a non-positive scale.
    public init(
        matrix: [Double], offset: [Double], priorMean: [Double], priorStandardDeviation: [Double],
        noiseStandardDeviation: [Double]
    ) throws {
        let d = priorMean.count, m = offset.count
        guard d > 0, m > 0, matrix.count == m * d, priorStandardDeviation.count == d,
              noiseStandardDeviation.count == m
        else {
            throw AnalyticProblemError.shapeMismatch("A must be M × D with M = \(m) offsets and D = \(d) means")
        }
        for (label, values) in [("priorStandardDeviation", priorStandardDeviation),
                                ("noiseStandardDeviation", noiseStandardDeviation)] {
            if let index = values.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
                throw AnalyticProblemError.nonPositiveScale(name: label, index: index, value: values[index])
            }
        }
        self.matrix = matrix
        self.offset = offset
        self.priorMean = priorMean
        self.priorStandardDeviation = priorStandardDeviation
        self.noiseStandardDeviation = noiseStandardDeviation
    }

    /// Memberwise, for arguments valid by construction.
    private init(
        validMatrix matrix: [Double], offset: [Double], priorMean: [Double], priorStandardDeviation: [Double],
        noiseStandardDeviation: [Double]
    ) {
        self.matrix = matrix
        self.offset = offset
        self.priorMean = priorMean
        self.priorStandardDeviation = priorStandardDeviation
        self.noiseStandardDeviation = noiseStandardDeviation
    }

    /// The default problem: D = 5, M = 10, A_md = cos(π (m + ½)(d + 1) / M) (DCT-II columns: orthogonal, each of
    /// squared norm M/2, so every θ_d is identifiable and no two mix degenerately), b_m = 0.1 m,
    /// θ ~ N(0, I), σ = 0.1.
    ///
    /// - Precondition: both counts ≥ 1.
    public static func standard(thetaCount: Int = 5, outputCount: Int = 10) -> LinearGaussianProblem {
        precondition(thetaCount >= 1 && outputCount >= 1, "D and M must be positive")
        let m = outputCount, d = thetaCount
        let matrix = (0..<m * d).map { index -> Double in
            let row = Double(index / d), column = Double(index % d)
            return cos(Double.pi * (row + 0.5) * (column + 1) / Double(m))
        }
        return LinearGaussianProblem(
            validMatrix: matrix, offset: (0..<m).map { 0.1 * Double($0) }, priorMean: Array(repeating: 0, count: d),
            priorStandardDeviation: Array(repeating: 1, count: d),
            noiseStandardDeviation: Array(repeating: 0.1, count: m))
    }

    /// The prior as a ``Prior`` (independent normals named like ``inputNames``), for the dataset builder.
    public var prior: Prior {
        let parameters = zip(inputNames, zip(priorMean, priorStandardDeviation)).map { name, moments in
            PriorParameter(name: name, distribution: .normal(mean: moments.0, standardDeviation: moments.1))
        }
        return Prior(builtinParameters: parameters, source: "<builtin:linear-gaussian>")
    }

    /// The declared observation noise, ``NoiseModel/gaussianPerBin(sigma:)`` with σ.
    public var noiseModel: NoiseModel { .gaussianPerBin(sigma: noiseStandardDeviation) }

    public var configuration: [String: String] {
        ["D": String(thetaCount), "M": String(outputCount), "A": Self.list(matrix), "b": Self.list(offset),
         "prior_mean": Self.list(priorMean), "prior_sd": Self.list(priorStandardDeviation),
         "noise_sd": Self.list(noiseStandardDeviation)]
    }

    public func simulate(_ inputs: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) throws {
        guard inputs.count == thetaCount else {
            throw SimulatorError.wrongInputCount(expected: thetaCount, got: inputs.count)
        }
        precondition(output.count == outputCount, "output needs M values")
        for m in 0..<outputCount {
            var sum = offset[m]
            for d in 0..<thetaCount { sum += matrix[m * thetaCount + d] * inputs[d] }
            output[m] = sum
        }
    }

    /// log p(x | θ) = log N(x; A θ + b, diag σ²), exact.
    public func logLikelihood(x: [Double], theta: [Double]) throws -> Double {
        NoiseModel.logLikelihood(observed: x, simulated: try simulate(theta), sigma: noiseStandardDeviation)
    }

    /// The exact posterior p(θ | x), from the precision form above with one D × D Cholesky solve.
    public func posterior(given x: [Double]) throws -> MultivariateGaussian {
        guard x.count == outputCount else { throw AnalyticProblemError.shapeMismatch("x needs \(outputCount) values") }
        let d = thetaCount
        var precision = [Double](repeating: 0, count: d * d)
        var information = (0..<d).map { priorMean[$0] / (priorStandardDeviation[$0] * priorStandardDeviation[$0]) }
        for i in 0..<d { precision[i * d + i] = 1 / (priorStandardDeviation[i] * priorStandardDeviation[i]) }
        for m in 0..<outputCount {
            let weight = 1 / (noiseStandardDeviation[m] * noiseStandardDeviation[m])
            let residual = x[m] - offset[m]
            for i in 0..<d {
                let a = matrix[m * d + i]
                information[i] += a * weight * residual
                for j in 0..<d { precision[i * d + j] += a * weight * matrix[m * d + j] }
            }
        }
        let factor = try CholeskyFactor(symmetric: precision, dimension: d)
        return try MultivariateGaussian(mean: factor.solve(information), covariance: factor.inverse())
    }

    /// log p(x) = log N(x; A μ₀ + b, A S₀ Aᵀ + Σₙ), exact (one M × M Cholesky solve).
    public func logEvidence(x: [Double]) throws -> Double {
        guard x.count == outputCount else { throw AnalyticProblemError.shapeMismatch("x needs \(outputCount) values") }
        let d = thetaCount, m = outputCount
        var covariance = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0..<m {
                var sum = i == j ? noiseStandardDeviation[i] * noiseStandardDeviation[i] : 0
                for k in 0..<d {
                    sum += matrix[i * d + k] * priorStandardDeviation[k] * priorStandardDeviation[k] * matrix[j * d + k]
                }
                covariance[i * m + j] = sum
            }
        }
        return try MultivariateGaussian(mean: try simulate(priorMean), covariance: covariance).logDensity(x)
    }

    private static func list(_ values: [Double]) -> String {
        "[" + values.map { String($0) }.joined(separator: ",") + "]"
    }
}
