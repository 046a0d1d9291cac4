import Foundation

/// Tests of Accuracy with Random Points (Lemos et al. 2023, "Sampling-based accuracy testing of posterior
/// estimators for general inference", arXiv:2302.03026).
///
/// For each pair, a reference point θᵣ is drawn at random; f is the fraction of posterior samples closer to θᵣ than
/// θ* is. The expected coverage probability ECP(α) = P(f < α) equals α for every α exactly when the posterior is
/// calibrated, a necessary and sufficient condition, unlike HPD coverage. Parameters should be scaled to
/// comparable ranges first (here: by the prior box).
public enum TARP {
    /// f for one pair. `truth` and `reference` have D entries; `samples` is S rows of D.
    public static func fraction(truth: [Double], reference: [Double], samples: [[Double]]) -> Double {
        func distance(_ a: [Double]) -> Double { zip(a, reference).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        let threshold = distance(truth)
        return Double(samples.filter { distance($0) < threshold }.count) / Double(max(samples.count, 1))
    }

    /// ECP(α) at each level, from the per-pair fractions.
    public static func curve(fractions: [Double], levels: [Double] = stride(from: 0.05, through: 0.951, by: 0.05).map { $0 })
        -> [(level: Double, coverage: Double)] {
        levels.map { level in (level, Double(fractions.filter { $0 < level }.count) / Double(max(fractions.count, 1))) }
    }
}
