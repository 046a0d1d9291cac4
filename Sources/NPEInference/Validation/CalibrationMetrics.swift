import Foundation
import NPESimulators
import NPETensor
import NPESupport

/// The calibration and accuracy metrics of N held-out pairs (θ*ₙ, xₙ) with S posterior samples each.
///
/// - **Expected coverage** (Hermans et al. 2022, arXiv:2110.06581): the joint highest-density region of level γ
///   contains θ* when the share of samples with log q(θₛ|x) > log q(θ*|x) is below γ (``ExpectedCoverage``).
/// - **Marginal coverage** per parameter: the central interval [F⁻¹((1−γ)/2), F⁻¹((1+γ)/2)] of the marginal
///   samples contains θ*_d (the marginal density is not available from a flow, so not HPD).
/// - **SBC** (Talts et al. 2018): ranks of θ*_d among the S marginal samples, histogram and χ² test.
/// - **TARP** (Lemos et al. 2023): with parameters scaled to [0, 1] by a bounded prior (standardised by the prior's
///   mean and sd when unbounded), reference points drawn from the prior.
/// - **RMSE** of the posterior mean, beside the prior mean's RMSE for scale.
public struct CalibrationMetrics: Sendable {
    public var levels: [Double]
    public var coverage: [Double]
    public var tarp: [Double]
    public var sbcBins: Int
    public var parameters: [ValidationReport.ParameterResult]

    /// The standard levels 0.05, 0.10, …, 0.95.
    public static let standardLevels = (1...19).map { Double($0) / 20 }

    /// - Parameters:
    ///   - truths: `[N, D]` true θ.
    ///   - logProbabilityOfTruths: N values log q(θ*ₙ | xₙ) (−∞ when θ* is outside q's support).
    ///   - draws: the S samples of each row.
    ///   - prior: the prior of θ (its theta parameters, in the model's order), for TARP scaling and the prior RMSE.
    ///   - seed: keys the TARP reference points.
    public init(truths: [Double], logProbabilityOfTruths: [Double], draws: PosteriorDraws, prior: Prior,
                levels: [Double] = CalibrationMetrics.standardLevels, seed: UInt64) {
        let n = draws.rows, s = draws.count, d = draws.dimension
        precondition(truths.count == n * d && logProbabilityOfTruths.count == n && prior.thetaCount == d, "shapes")
        self.levels = levels
        let hpd = (0..<n).map { row in
            ExpectedCoverage.hpdRank(logDensityOfTruth: logProbabilityOfTruths[row], logDensityOfSamples: draws.logDensities(row: row))
        }
        coverage = ExpectedCoverage.curve(ranks: hpd, levels: levels).map(\.coverage)

        // SBC wants at least ~5 expected counts per bin for its χ² test.
        sbcBins = max(2, min(20, n / 5, s + 1))
        let distributions = prior.thetaIndices.map { prior.parameters[$0].distribution }
        var results: [ValidationReport.ParameterResult] = []
        for j in 0..<d {
            var ranks: [Int] = [], centralRanks: [Double] = []
            var squaredError = 0.0, priorSquaredError = 0.0, sdSum = 0.0
            for row in 0..<n {
                let truth = truths[row * d + j]
                let marginal = draws.marginal(row: row, parameter: j)
                let below = marginal.filter { $0 < truth }.count
                let equal = marginal.filter { $0 == truth }.count
                ranks.append(below)
                centralRanks.append(abs(2 * (Double(below) + 0.5 * Double(equal)) / Double(s) - 1))
                let mean = marginal.reduce(0, +) / Double(s)
                let variance = marginal.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(s - 1, 1))
                squaredError += (mean - truth) * (mean - truth)
                priorSquaredError += (distributions[j].mean - truth) * (distributions[j].mean - truth)
                sdSum += variance.squareRoot()
            }
            let test = SimulationBasedCalibration.uniformityTest(ranks: ranks, sampleCount: s, bins: sbcBins)
            var histogram = [Int](repeating: 0, count: sbcBins)
            for r in ranks { histogram[min(sbcBins - 1, r * sbcBins / (s + 1))] += 1 }
            let parameter = prior.parameters[prior.thetaIndices[j]]
            results.append(ValidationReport.ParameterResult(
                name: parameter.name, unit: parameter.unit ?? "",
                coverage: levels.map { level in Double(centralRanks.filter { $0 < level }.count) / Double(max(n, 1)) },
                sbcHistogram: histogram, sbcChiSquared: test.chiSquared, sbcPValue: test.pValue,
                rmse: (squaredError / Double(max(n, 1))).squareRoot(), priorRmse: (priorSquaredError / Double(max(n, 1))).squareRoot(),
                meanPosteriorStandardDeviation: sdSum / Double(max(n, 1))))
        }
        parameters = results

        // TARP in scaled coordinates, one prior-drawn reference point per row.
        let scales = distributions.map(Self.scaling)
        func scaled(_ values: [Double]) -> [Double] { zip(values, scales).map { ($0 - $1.offset) / $1.scale } }
        let stream = RandomStream(seed: seed, stream: 0x7A2B)
        let fractions = (0..<n).map { row -> Double in
            let reference = (0..<d).map { distributions[$0].quantile(stream.child(UInt64(row)).uniformDouble(UInt64($0))) }
            return TARP.fraction(truth: scaled(Array(truths[(row * d)..<((row + 1) * d)])), reference: scaled(reference),
                                 samples: draws.samples(row: row).map(scaled))
        }
        tarp = TARP.curve(fractions: fractions, levels: levels).map(\.coverage)
    }

    /// Maps a parameter to about [0, 1]: a finite support by its bounds, otherwise by the prior's mean and sd.
    static func scaling(_ distribution: PriorDistribution) -> (offset: Double, scale: Double) {
        let support = distribution.support
        if support.lowerBound.isFinite && support.upperBound.isFinite && support.upperBound > support.lowerBound {
            return (support.lowerBound, support.upperBound - support.lowerBound)
        }
        return (distribution.mean, max(distribution.variance.squareRoot(), 1e-300))
    }
}
