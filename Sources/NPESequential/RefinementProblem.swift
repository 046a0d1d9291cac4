import NPESimulators

/// What is simulated and what is inferred.
///
/// The simulator's inputs follow ``prior`` by name, as the dataset builder maps them. The posterior is over the
/// first ``thetaCount`` θ columns of the prior (the model's parameters); θ columns after them are latent inputs of
/// a stochastic simulator (two moons' angle and radius), drawn from the prior in every round and marginalised by
/// training, as the amortised model was trained. Context columns take the target's values and fixed ones the
/// prior's.
public struct RefinementProblem: Sendable {
    public let prior: Prior
    public let simulator: any Simulator
    /// K, the inferred parameters.
    public let thetaCount: Int
    /// The prior over the K inferred parameters, π(θ): what the atomic loss, the truncation and the weights use.
    public let thetaPrior: Prior

    /// - Throws: when `thetaCount` exceeds the prior's θ columns, or a simulator input is not in the prior.
    public init(prior: Prior, simulator: any Simulator, thetaCount: Int? = nil) throws {
        let k = thetaCount ?? prior.thetaCount
        guard k >= 1, k <= prior.thetaCount else {
            throw SequentialError.invalidSetting("the posterior needs 1…\(prior.thetaCount) of the prior's θ columns, not \(k)")
        }
        _ = try prior.parameterIndices(forInputs: simulator.inputNames, simulator: simulator.name)
        self.prior = prior
        self.simulator = simulator
        self.thetaCount = k
        thetaPrior = try Prior(parameters: prior.thetaIndices.prefix(k).map { prior.parameters[$0] }, source: prior.source)
    }

    /// The names of the inferred parameters.
    public var thetaNames: [String] { thetaPrior.thetaNames }

    /// log π(θ) of one row of K values; −∞ outside the support.
    func logPrior(_ theta: ArraySlice<Double>) -> Double { thetaPrior.logDensity(theta: theta) }
}
