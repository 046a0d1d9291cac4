extension LinearGaussianProblem {
    /// The problem restricted to the observed bins `bins` (in the given order): x_obs = A_obs θ + b_obs + σ_obs ε.
    /// Its ``posterior(given:)`` is the exact p(θ | x_obs), the oracle a mask-aware estimator must match when the
    /// other bins are missing, and its ``logEvidence(x:)`` is p(x_obs).
    ///
    /// - Throws: ``AnalyticProblemError`` for an empty list or a bin outside 0..<M.
    public func observing(bins: [Int]) throws -> LinearGaussianProblem {
        let d = thetaCount
        guard !bins.isEmpty, bins.allSatisfy({ (0..<outputCount).contains($0) }) else {
            throw AnalyticProblemError.shapeMismatch("observed bins \(bins) must be a non-empty subset of 0..<\(outputCount)")
        }
        return try LinearGaussianProblem(
            matrix: bins.flatMap { m in matrix[(m * d)..<((m + 1) * d)] }, offset: bins.map { offset[$0] },
            priorMean: priorMean, priorStandardDeviation: priorStandardDeviation,
            noiseStandardDeviation: bins.map { noiseStandardDeviation[$0] })
    }
}
