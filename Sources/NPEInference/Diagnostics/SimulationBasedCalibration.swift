import Foundation

/// Simulation-based calibration (Talts et al. 2018, arXiv:1804.06788): for truths drawn from the prior, the rank of
/// each true parameter among L posterior samples is uniform on {0, …, L} exactly when the posterior is calibrated.
public enum SimulationBasedCalibration {
    /// The rank of `truth` among `samples`: how many samples are smaller.
    public static func rank(of truth: Double, among samples: [Double]) -> Int { samples.filter { $0 < truth }.count }

    /// Pearson's χ² statistic of the ranks against uniformity over `bins` equal bins of {0, …, sampleCount}, and
    /// its upper-tail p-value (Wilson–Hilferty normal approximation to χ² with bins − 1 degrees of freedom,
    /// accurate to about 1e-3 for ≥ 5 degrees of freedom).
    public static func uniformityTest(ranks: [Int], sampleCount: Int, bins: Int = 20) -> (chiSquared: Double, pValue: Double) {
        var counts = [Double](repeating: 0, count: bins)
        for r in ranks { counts[min(bins - 1, r * bins / (sampleCount + 1))] += 1 }
        let expected = Double(ranks.count) / Double(bins)
        let chi2 = counts.reduce(0) { $0 + ($1 - expected) * ($1 - expected) / expected }
        let k = Double(bins - 1)
        let z = (pow(chi2 / k, 1.0 / 3) - (1 - 2 / (9 * k))) / (2 / (9 * k)).squareRoot()
        return (chi2, 0.5 * erfc(z / 2.0.squareRoot()))
    }
}
