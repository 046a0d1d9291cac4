import Foundation
import NPESupport
import NPETensor

/// A posterior predictive check of one target: does the model, at its own posterior, reproduce the data?
///
/// Given N posterior draws θᵢ (equally weighted: importance-resampled when weights exist, see
/// ``PosteriorPredictiveCheck/resample(weights:count:stream:)``), their noise-free spectra μᵢ = f(θᵢ), the observed
/// spectrum x and the catalogue's σ, over the set B of observed bins (x_b and σ_b finite, σ_b > 0):
///
///   χ²(y, μ) = Σ_{b∈B} ((y_b − μ_b) / σ_b)²                                  (the discrepancy)
///   D_obs,i = χ²(x, μᵢ),   D_rep,i,r = χ²(x_rep,i,r, μᵢ),   x_rep,i,r = μᵢ + σ ⊙ ε_i,r,   ε ~ N(0, I)
///   p = (1 / (N R)) Σᵢ Σ_r 1[D_rep,i,r ≥ D_obs,i]
///
/// This is the posterior predictive p-value of a realised discrepancy (Gelman, Meng & Stern 1996, Statistica Sinica
/// 6, 733), p = P(D(x_rep, θ) ≥ D(x, θ) | x) under the joint posterior predictive of (θ, x_rep). Each draw gets R
/// replicates: the replicates cost no simulation, and R > 1 resolves p below 1/N, which a threshold of 0.001 needs.
/// The replicate noise ε comes from the counter-based stream keyed on (seed, target), so p does not depend on
/// threads, batching or resumption.
///
/// A small p says no posterior draw fits the data as well as the model's own noise would: the forward model (or the
/// noise σ) is wrong for this target. `model_misfit` is raised below a threshold (0.001 by default).
///
/// Warning: posterior predictive p-values are conservative, not uniform, under a correct model: the posterior has
/// already been fitted to x, so D_obs is smaller than an independent replicate's on average (Meng 1994, Ann. Statist.
/// 22, 1142; Robins, van der Vaart & Ventura 2000, JASA 95, 1143). For a linear-Gaussian model with D parameters and
/// n observed bins, D_obs is a χ²(n − D) residual plus the posterior spread, against χ²(n) replicates, so p piles
/// toward ½ unless n ≫ D. A false alarm is therefore rarer than the threshold, and the check loses power when the
/// parameters can absorb the misfit.
public struct PosteriorPredictiveCheck: Sendable, Equatable {
    /// The quantiles of the predictive bands: median, 1σ (16–84 %) and 2σ (2.5–97.5 %) envelopes.
    public static let bandQuantiles = [0.025, 0.16, 0.5, 0.84, 0.975]
    /// The default draws N, replicates per draw R, and the misfit threshold on p.
    public static let defaultDraws = 100
    public static let defaultReplicates = 50
    /// 0.001: with n ≈ 50 bins, a χ² at p = 0.001 is about 1.9 n; since p is conservative, a well-specified target
    /// is flagged less often than once in a thousand.
    public static let defaultMisfitThreshold = 0.001
    /// The root stream id of the check's random draws (resampling uniforms and replicate noise), apart from the
    /// sampler's streams: target t uses `RandomStream(seed:, stream: streamDomain).child(t)`.
    public static let streamDomain: UInt64 = 0x5050_435F_7265_706C  // "PPC_repl"

    /// `[N]` the sample index s of each draw, in the target's S samples.
    public var draws: [Int64]
    /// `[N]` D_obs,i: χ² of the data against draw i's noise-free spectrum; NaN for a draw the simulator refused.
    public var chiSquared: [Double]
    /// `[N]` D_rep,i,1: the first replicate's χ² (for a D_obs-versus-D_rep scatter plot).
    public var replicateChiSquared: [Double]
    /// p, over the draws the simulator accepted; NaN when none was, or no bin is observed.
    public var pValue: Double
    /// |B|, the observed bins the χ² sums over.
    public var observedBins: Int
    /// `[M·5]` per bin the ``bandQuantiles`` of μ_b over the accepted draws (NaN when none).
    public var bands: [Double]

    public init(draws: [Int64], chiSquared: [Double], replicateChiSquared: [Double], pValue: Double, observedBins: Int,
                bands: [Double]) {
        self.draws = draws
        self.chiSquared = chiSquared
        self.replicateChiSquared = replicateChiSquared
        self.pValue = pValue
        self.observedBins = observedBins
        self.bands = bands
    }

    /// The check of a target that was not sampled: N draws of index −1, NaN everywhere, 0 bins.
    public static func skipped(draws n: Int, bins m: Int) -> PosteriorPredictiveCheck {
        PosteriorPredictiveCheck(draws: [Int64](repeating: -1, count: n), chiSquared: [Double](repeating: .nan, count: n),
                                 replicateChiSquared: [Double](repeating: .nan, count: n), pValue: .nan, observedBins: 0,
                                 bands: [Double](repeating: .nan, count: m * bandQuantiles.count))
    }

    /// The best draw's χ² (smallest D_obs), NaN when no draw was accepted.
    public var bestChiSquared: Double { chiSquared.filter(\.isFinite).min() ?? .nan }

    /// Whether bin b is observed: x_b and σ_b finite and σ_b > 0 (NaN in either means "not observed").
    public static func isObserved(x: Double, sigma: Double) -> Bool { x.isFinite && sigma.isFinite && sigma > 0 }

    /// Computes the check from the draws' spectra.
    ///
    /// - Parameters:
    ///   - draws: N sample indices (recorded as they are).
    ///   - spectra: N noise-free spectra of M values, nil for a draw the simulator refused or that was not finite.
    ///   - x, sigma: the observed spectrum and its 1σ (M values each).
    ///   - replicates: R ≥ 1 replicates per draw.
    ///   - stream: the target's check stream; replicate r of draw i, bin b uses normal draw r·M + b of
    ///     `stream.child(1).child(i)`.
    public static func evaluate(draws: [Int64], spectra: [[Double]?], x: [Double], sigma: [Double], replicates: Int,
                                stream: RandomStream) -> PosteriorPredictiveCheck {
        precondition(draws.count == spectra.count && x.count == sigma.count && replicates >= 1, "one spectrum per draw")
        let m = x.count, n = draws.count
        let observed = (0..<m).filter { isObserved(x: x[$0], sigma: sigma[$0]) }
        var chi2 = [Double](repeating: .nan, count: n), replicate = [Double](repeating: .nan, count: n)
        var exceed = 0, compared = 0
        for (i, spectrum) in spectra.enumerated() {
            guard let mu = spectrum, mu.count == m, observed.allSatisfy({ mu[$0].isFinite }) else { continue }
            let data = observed.reduce(0.0) { sum, b in let r = (x[b] - mu[b]) / sigma[b]; return sum + r * r }
            chi2[i] = data
            let noise = stream.child(1).child(UInt64(i))
            for r in 0..<replicates {
                // χ²(μ + σ ε, μ) = Σ ε²: the replicate's residuals in units of σ are the noise draws themselves.
                let base = UInt64(r * m)
                let value = observed.reduce(0.0) { sum, b in let e = noise.normalDouble(base + UInt64(b)); return sum + e * e }
                if r == 0 { replicate[i] = value }
                if value >= data { exceed += 1 }
                compared += 1
            }
        }
        let accepted = spectra.compactMap { $0 }.filter { $0.count == m }
        var bands = [Double](repeating: .nan, count: m * bandQuantiles.count)
        if !accepted.isEmpty {
            for b in 0..<m {
                let values = accepted.map { $0[b] }.sorted()
                for (k, q) in bandQuantiles.enumerated() { bands[b * bandQuantiles.count + k] = quantile(values, q) }
            }
        }
        let p = compared > 0 && !observed.isEmpty ? Double(exceed) / Double(compared) : .nan
        return PosteriorPredictiveCheck(draws: draws, chiSquared: chi2, replicateChiSquared: replicate, pValue: p,
                                        observedBins: observed.count, bands: bands)
    }

    /// Linear interpolation between order statistics (type 7 of Hyndman & Fan 1996, numpy's default) of sorted values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard let first = sorted.first else { return .nan }
        guard sorted.count > 1 else { return first }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }

    /// N indices drawn from S samples in proportion to their normalised importance weights by systematic resampling
    /// (Kitagawa 1996): one uniform u ~ U(0, 1) (draw 0 of `stream.child(0)`), positions (k + u) / N, each taken by
    /// the sample whose cumulative weight first reaches it. Unbiased (sample s appears N·w_s times in expectation)
    /// with less variance than multinomial draws. Indices come out ascending.
    ///
    /// - Precondition: the weights are non-negative with a positive sum.
    public static func resample(weights: [Double], count n: Int, stream: RandomStream) -> [Int] {
        let total = weights.reduce(0, +)
        precondition(total > 0 && n >= 1, "resampling needs a positive weight and a positive count")
        let u = stream.child(0).uniformDouble(0)
        var out: [Int] = []
        out.reserveCapacity(n)
        // Rounding can leave the cumulative sum just below 1: never hand out a zero-weight tail sample.
        let lastPositive = weights.lastIndex { $0 > 0 }!
        var cumulative = weights[0] / total, s = 0
        for k in 0..<n {
            let position = (Double(k) + u) / Double(n)
            while cumulative < position && s < lastPositive {
                s += 1
                cumulative += weights[s] / total
            }
            out.append(s)
        }
        return out
    }
}
