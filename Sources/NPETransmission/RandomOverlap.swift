/// Scratch buffers for ``RandomOverlap`` (one per workspace).
final class RandomOverlapScratch {
    var pairs: [(k: Double, w: Double)]
    var mixed: [Double]
    init(gCount: Int) {
        pairs = Array(repeating: (0, 0), count: gCount * gCount)
        mixed = Array(repeating: 0, count: gCount)
    }
}

/// Random overlap of k-distributions with resorting and rebinning (RORR; Lacis & Oinas 1991, JGR 96, 9027;
/// Amundsen et al. 2017, A&A 598, A97).
///
/// For two gases with cross sections k_a(g), k_b(g) on the quadrature (g_n, w_n), random overlap gives the N² pairs
/// (k_a,m + k_b,n, w_m w_n). Sorting them by k gives the mixture's k-distribution as a step function of cumulative
/// weight; rebinning averages it over each original quadrature interval [G_{n−1}, G_n], G_n = Σ_{m≤n} w_m. More gases
/// are folded in one at a time.
enum RandomOverlap {
    /// Mixes `gasCount` k-distributions `gasK[gas * gCount + g]` (already multiplied by their mixing ratios) into
    /// `result[g]`.
    static func mix(
        gasK: UnsafePointer<Double>, gasCount: Int, weights: UnsafeBufferPointer<Double>,
        scratch: RandomOverlapScratch, result: UnsafeMutablePointer<Double>
    ) {
        let gCount = weights.count
        // Pair weights w_m w_n / Σw sum to Σw exactly, even when the file's float32 weights miss 1 by ~1e-7.
        var weightSum = 0.0
        for g in 0..<gCount { weightSum += weights[g] }
        for g in 0..<gCount { result[g] = gasK[g] }
        for gas in 1..<gasCount {
            let other = gasK + gas * gCount
            // A gas with no opacity at all leaves the mixture unchanged.
            var total = 0.0
            for g in 0..<gCount { total += other[g] }
            if total == 0 { continue }
            var index = 0
            for m in 0..<gCount {
                for n in 0..<gCount {
                    scratch.pairs[index] = (result[m] + other[n], weights[m] * weights[n] / weightSum)
                    index += 1
                }
            }
            // Ties are ordered by weight so the result never depends on the sort's stability.
            scratch.pairs.sort { $0.k < $1.k || ($0.k == $1.k && $0.w < $1.w) }
            var target = 0
            var remaining = weights[0]
            var accumulated = 0.0
            for pair in scratch.pairs {
                var weight = pair.w
                while weight > 0, target < gCount {
                    let used = min(weight, remaining)
                    accumulated += used * pair.k
                    weight -= used
                    remaining -= used
                    if remaining <= 1e-15 * weights[target] {
                        scratch.mixed[target] = accumulated / weights[target]
                        target += 1
                        accumulated = 0
                        if target < gCount { remaining = weights[target] }
                    }
                }
            }
            // Rounding can leave the last interval a hair short of full: close it with what it holds, and give any
            // interval left empty the largest k (the top of the sorted distribution).
            if target < gCount {
                let filled = weights[target] - remaining
                let largest = scratch.pairs[scratch.pairs.count - 1].k
                scratch.mixed[target] = filled > 0 ? accumulated / filled : largest
                for g in (target + 1)..<gCount { scratch.mixed[g] = largest }
            }
            for g in 0..<gCount { result[g] = scratch.mixed[g] }
        }
    }
}
