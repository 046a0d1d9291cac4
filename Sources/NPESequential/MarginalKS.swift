/// The largest marginal two-sample Kolmogorov-Smirnov distance between two sample sets over K parameters:
///
///   D = max_k sup_t |F̂ₐ,ₖ(t) − F̂_b,ₖ(t)|,
///
/// with F̂ the empirical CDFs of parameter k. 0 for identical marginals, 1 for disjoint ones; for two sets of n
/// draws of the same distribution it is of order 1.36·√(2/n) at the 5% level (Smirnov 1948), so a round whose
/// posterior stopped moving reads near that floor.
public enum MarginalKS {
    /// - Parameters: `a`, `b`: row-major `[n, K]` and `[m, K]`.
    public static func distance(_ a: [Double], _ b: [Double], thetaCount k: Int) -> Double {
        let n = a.count / k, m = b.count / k
        guard n > 0, m > 0 else { return 1 }
        var worst = 0.0
        for j in 0..<k {
            let x = (0..<n).map { a[$0 * k + j] }.sorted(), y = (0..<m).map { b[$0 * k + j] }.sorted()
            var i = 0, l = 0
            while i < n && l < m {
                let t = min(x[i], y[l])
                while i < n && x[i] <= t { i += 1 }
                while l < m && y[l] <= t { l += 1 }
                worst = max(worst, abs(Double(i) / Double(n) - Double(l) / Double(m)))
            }
        }
        return worst
    }
}
