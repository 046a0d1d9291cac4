import NPESimulators

/// One observed target to refine: its spectrum xₒ, the per-bin noise σ it was observed with and its context
/// values (as `npe-infer` reads them from a catalogue).
public struct RefinementTarget: Sendable, Equatable {
    public var id: String
    /// xₒ, M values, all finite.
    public var x: [Double]
    /// σ, M values > 0; nil for a simulator whose outputs already carry their noise (two moons), which has no
    /// Gaussian likelihood and so no importance weights.
    public var sigma: [Double]?
    /// A values, in the prior's context order.
    public var context: [Double]

    /// - Throws: ``SequentialError/invalidTarget(target:reason:)`` naming the bin of a non-finite x or a σ that is
    ///   not positive, or a size that differs from the simulator's.
    public init(id: String, x: [Double], sigma: [Double]?, context: [Double] = [], binCount: Int, contextCount: Int) throws {
        guard x.count == binCount else {
            throw SequentialError.invalidTarget(target: id, reason: "x has \(x.count) bins; the simulator gives \(binCount)")
        }
        if let bin = x.firstIndex(where: { !$0.isFinite }) {
            throw SequentialError.invalidTarget(
                target: id, reason: "x bin \(bin) is \(x[bin]); refinement needs every bin observed (missing bins are not supported)")
        }
        if let sigma {
            guard sigma.count == binCount else {
                throw SequentialError.invalidTarget(target: id, reason: "sigma has \(sigma.count) bins; x has \(binCount)")
            }
            if let bin = sigma.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
                throw SequentialError.invalidTarget(target: id, reason: "sigma bin \(bin) is \(sigma[bin]); must be finite and > 0")
            }
        }
        guard context.count == contextCount else {
            throw SequentialError.invalidTarget(target: id, reason: "\(context.count) context values; the prior has \(contextCount)")
        }
        self.id = id
        self.x = x
        self.sigma = sigma
        self.context = context
    }

    /// log p(xₒ | θ) for a noise-free simulation f(θ): Σ_b log N(xₒ_b; f_b, σ_b²), the same
    /// ``NoiseModel/logLikelihood(observed:simulated:sigma:)`` importance sampling in `npe-infer` uses; nil
    /// without σ, −∞ for a failed simulation.
    func logLikelihood(simulated: ArraySlice<Float>) -> Double? {
        guard let sigma else { return nil }
        let values = simulated.map(Double.init)
        guard values.allSatisfy(\.isFinite) else { return -.infinity }
        return NoiseModel.logLikelihood(observed: x, simulated: values, sigma: sigma)
    }
}
