/// Expected coverage of highest-posterior-density regions (Hermans et al. 2022, "A trust crisis in
/// simulation-based inference? Your posterior approximations can be unfaithful", arXiv:2110.06581).
///
/// For a held-out pair (θ*, x) with samples θₛ ~ q(θ|x), the HPD region of credibility γ contains θ* exactly when
/// the fraction r of samples with q(θₛ|x) > q(θ*|x) is below γ. The expected coverage at γ is the share of pairs
/// with r < γ. A calibrated posterior gives coverage(γ) = γ; below the diagonal means overconfident (regions too
/// small), above means conservative.
public enum ExpectedCoverage {
    /// The HPD rank r of one truth: the (weighted) fraction of samples denser than the truth. Ties count half,
    /// so a discrete tie cannot bias the curve.
    public static func hpdRank(logDensityOfTruth truth: Double, logDensityOfSamples samples: [Double],
                               weights: [Double]? = nil) -> Double {
        var denser = 0.0, total = 0.0
        for (i, value) in samples.enumerated() {
            let w = weights?[i] ?? 1
            total += w
            if value > truth { denser += w } else if value == truth { denser += w / 2 }
        }
        return total > 0 ? denser / total : 1
    }

    /// The coverage curve: for each level in `levels`, the share of `ranks` below it.
    public static func curve(ranks: [Double], levels: [Double] = stride(from: 0.05, through: 0.951, by: 0.05).map { $0 })
        -> [(level: Double, coverage: Double)] {
        levels.map { level in (level, Double(ranks.filter { $0 < level }.count) / Double(max(ranks.count, 1))) }
    }
}
