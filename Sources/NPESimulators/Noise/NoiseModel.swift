import Foundation

/// The declared observational noise of a dataset or model: independent Gaussian noise per bin,
/// x_obs = x + σ ⊙ ε with ε ~ N(0, I).
///
/// Datasets hold noise-free spectra plus one of these (JSON via `Codable`, in the dataset attributes and the
/// model card); the trainer draws fresh ε every epoch, and can feed σ to the network. Because the noise is
/// Gaussian with known σ, the likelihood is exact: ``logLikelihood(observed:simulated:sigma:)``.
///
/// Sigmas are in the units of x (transit-depth fractions for the ARIEL model), ascending wavelength.
public enum NoiseModel: Sendable, Codable, Equatable {
    /// Noise-free: σ = 0. ``sigma(for:)`` returns an empty array.
    case none
    /// The same σ for every target, one value per bin.
    case gaussianPerBin(sigma: [Double])
    /// The calibrated parametric Ariel model, from star properties and transit duration.
    case arielPhotonNoise(ArielPhotonNoise)
    /// Per-target σ looked up by planet name.
    case perTargetTable(PerTargetNoiseTable)

    /// The number of bins σ covers; nil for ``none``.
    public var binCount: Int? {
        switch self {
        case .none: return nil
        case let .gaussianPerBin(sigma): return sigma.count
        case let .arielPhotonNoise(model): return model.bins.count
        case let .perTargetTable(table): return table.sigma.first?.count
        }
    }

    /// A short kind label for logs and summaries (`none`, `gaussian_per_bin`, `ariel_photon_noise`,
    /// `per_target_table`).
    public var kind: String {
        switch self {
        case .none: return "none"
        case .gaussianPerBin: return "gaussian_per_bin"
        case .arielPhotonNoise: return "ariel_photon_noise"
        case .perTargetTable: return "per_target_table"
        }
    }

    /// Per-bin σ for one target.
    ///
    /// - ``gaussianPerBin(sigma:)`` ignores the target;
    /// - ``arielPhotonNoise(_:)`` reads the star properties, transit duration and `transits`;
    /// - ``perTargetTable(_:)`` reads `name` and `transits`;
    /// - ``none`` returns `[]`.
    /// - Throws: ``NoiseError`` when the target lacks what the model needs.
    public func sigma(for target: NoiseTarget = NoiseTarget()) throws -> [Double] {
        switch self {
        case .none: return []
        case let .gaussianPerBin(sigma): return sigma
        case let .arielPhotonNoise(model): return try model.sigma(for: target)
        case let .perTargetTable(table): return try table.sigma(for: target)
        }
    }

    /// Compact JSON with sorted keys, for dataset attributes and model cards.
    public func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Adds noise: x[b] += σ[b] · Φ⁻¹(u[b]), so noise, like prior draws, comes from counter-based uniforms.
    ///
    /// - Precondition: `uniforms.count == x.count == sigma.count`, or `sigma` empty (no noise).
    public static func addNoise(to x: inout [Double], sigma: [Double], uniforms: [Double]) {
        guard !sigma.isEmpty else { return }
        precondition(x.count == sigma.count && uniforms.count == sigma.count, "one sigma and uniform per bin")
        for b in x.indices { x[b] += sigma[b] * StandardNormal.quantile(uniforms[b]) }
    }

    /// log N(observed; simulated, diag σ²) = Σ_b [−½ ((x_b − μ_b)/σ_b)² − log σ_b − ½ log 2π].
    ///
    /// - Precondition: equal lengths and every σ_b > 0.
    public static func logLikelihood(observed: [Double], simulated: [Double], sigma: [Double]) -> Double {
        precondition(observed.count == simulated.count && sigma.count == observed.count, "equal lengths")
        var total = 0.0
        for b in observed.indices {
            precondition(sigma[b] > 0, "sigma must be positive")
            let residual = (observed[b] - simulated[b]) / sigma[b]
            total += -0.5 * residual * residual - log(sigma[b]) - StandardNormal.halfLogTwoPi
        }
        return total
    }
}
