import Foundation

/// The Ariel Data Challenge 2023 posterior score and the two-sample Kolmogorov–Smirnov statistic behind it.
///
/// For each parameter, samples are clipped to the metric's bounds and scaled to [0, 1]; the score is the mean over
/// parameters of (1 − KS) × 1000, where KS is the largest gap between the submitted and reference empirical CDFs
/// (`posterior_utils.py` of ucl-exoplanets/ADC2023-baseline). 1000 means indistinguishable marginals.
public enum PosteriorScore {
    /// sup |F₁ − F₂| over the two (optionally weighted) empirical CDFs.
    public static func kolmogorovSmirnov(_ a: [Double], _ b: [Double], weightsA: [Double]? = nil, weightsB: [Double]? = nil) -> Double {
        func sorted(_ v: [Double], _ w: [Double]?) -> [(Double, Double)] {
            let weights = w ?? [Double](repeating: 1, count: v.count)
            let total = weights.reduce(0, +)
            return zip(v, weights).map { ($0, $1 / total) }.sorted { $0.0 < $1.0 }
        }
        let sa = sorted(a, weightsA), sb = sorted(b, weightsB)
        var i = 0, j = 0, fa = 0.0, fb = 0.0, gap = 0.0
        while i < sa.count || j < sb.count {
            let next = min(i < sa.count ? sa[i].0 : .infinity, j < sb.count ? sb[j].0 : .infinity)
            while i < sa.count && sa[i].0 == next { fa += sa[i].1; i += 1 }
            while j < sb.count && sb[j].0 == next { fb += sb[j].1; j += 1 }
            gap = max(gap, abs(fa - fb))
        }
        return gap
    }

    /// The ADC2023 score of `samples` against `reference` (both S×D rows), with per-parameter `bounds`.
    public static func adc2023(samples: [[Double]], reference: [[Double]], referenceWeights: [Double]? = nil,
                               bounds: [ClosedRange<Double>]) -> Double {
        func column(_ rows: [[Double]], _ d: Int) -> [Double] {
            rows.map { (min(max($0[d], bounds[d].lowerBound), bounds[d].upperBound) - bounds[d].lowerBound)
                / (bounds[d].upperBound - bounds[d].lowerBound) }
        }
        let scores = bounds.indices.map { d in
            1 - kolmogorovSmirnov(column(samples, d), column(reference, d), weightsB: referenceWeights)
        }
        return 1000 * scores.reduce(0, +) / Double(max(scores.count, 1))
    }
}
