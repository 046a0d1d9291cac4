import Foundation

/// The two-moons benchmark of simulation-based inference: a 2-D problem whose posterior is a pair of crescents.
///
/// Definition (Greenberg, Nonnenmacher & Macke 2019, "Automatic posterior transformation", ICML; the sbibm
/// benchmark of Lueckmann et al. 2021, AISTATS):
///
///   θ ~ U([−1, 1]²);  a ~ U(−π/2, π/2);  r ~ N(0.1, 0.01²);
///   p = (r cos a + 0.25, r sin a);
///   x = p + (−|θ₁ + θ₂| / √2, (−θ₁ + θ₂) / √2).
///
/// The latent noise (a, r) is made explicit so the model stays deterministic, as ``Simulator`` requires: the
/// simulator's inputs are `theta_1`, `theta_2`, `moon_angle` (a) and `moon_radius` (r). ``prior`` declares all
/// four, so the dataset builder draws the noise with the parameters; a trainer fits the first two columns and
/// discards the latent ones, which marginalises them exactly. ``simulate(theta:uniforms:)`` does the same for one
/// draw from two uniforms.
///
/// The likelihood is exact: with (u, v) = x − m(θ) − (0.25, 0) and ρ = |(u, v)|, the map (a, r) ↦ (u, v) is
/// polar with r = sign(u) ρ and Jacobian ρ, so p(x | θ) = (1/π) N(sign(u) ρ; 0.1, 0.01²) / ρ.
/// Because m depends on θ only through |θ₁ + θ₂| and θ₂ − θ₁, θ and (−θ₂, −θ₁) have the same likelihood: the two
/// moons of the posterior.
public struct TwoMoonsProblem: RowSimulator, Sendable, Equatable {
    public init() {}

    public var name: String { "two-moons" }
    public var version: String { "1" }
    public var inputNames: [String] { ["theta_1", "theta_2", "moon_angle", "moon_radius"] }
    public var outputCount: Int { 2 }
    public var configuration: [String: String] {
        ["definition": "Greenberg et al. 2019 / sbibm two_moons", "radius": "N(0.1, 0.01^2)",
         "angle": "U(-pi/2, pi/2)", "offset": "0.25"]
    }

    static let radiusMean = 0.1
    static let radiusStandardDeviation = 0.01
    static let offset = 0.25

    /// θ ~ U([−1, 1]²), the prior of the inferred parameters.
    public var parameterPrior: Prior {
        Prior(builtinParameters: Array(Self.parameters.prefix(2)), source: "<builtin:two-moons>")
    }

    /// The full input prior for the dataset builder: θ (theta) followed by the latent a and r. The latents are
    /// declared as theta columns too (they are drawn and simulated, not observed); drop columns 3–4 to train.
    public var prior: Prior {
        Prior(builtinParameters: Self.parameters, source: "<builtin:two-moons>")
    }

    private static let parameters = [
        PriorParameter(name: "theta_1", distribution: .uniform(low: -1, high: 1)),
        PriorParameter(name: "theta_2", distribution: .uniform(low: -1, high: 1)),
        PriorParameter(name: "moon_angle", unit: "rad", distribution: .uniform(low: -Double.pi / 2, high: Double.pi / 2)),
        PriorParameter(name: "moon_radius", distribution: .normal(mean: radiusMean, standardDeviation: radiusStandardDeviation)),
    ]

    /// m(θ) = (−|θ₁ + θ₂| / √2, (−θ₁ + θ₂) / √2), the θ-dependent shift.
    public static func shift(theta1: Double, theta2: Double) -> (Double, Double) {
        (-abs(theta1 + theta2) / 2.0.squareRoot(), (-theta1 + theta2) / 2.0.squareRoot())
    }

    public func simulate(_ inputs: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) throws {
        guard inputs.count == 4 else { throw SimulatorError.wrongInputCount(expected: 4, got: inputs.count) }
        precondition(output.count == 2, "two outputs")
        let (angle, radius) = (inputs[2], inputs[3])
        guard abs(angle) <= Double.pi / 2 else {
            throw SimulatorError.inputOutOfDomain(input: "moon_angle", value: angle, reason: "must be in [-pi/2, pi/2]")
        }
        let (m1, m2) = Self.shift(theta1: inputs[0], theta2: inputs[1])
        output[0] = radius * cos(angle) + Self.offset + m1
        output[1] = radius * sin(angle) + m2
    }

    /// One noisy draw x ~ p(x | θ): a = −π/2 + π u₁, r = 0.1 + 0.01 Φ⁻¹(u₂).
    ///
    /// - Parameters:
    ///   - theta: (θ₁, θ₂).
    ///   - uniforms: (u₁, u₂) in (0, 1).
    public func simulate(theta: [Double], uniforms: [Double]) throws -> [Double] {
        guard theta.count == 2 else { throw SimulatorError.wrongInputCount(expected: 2, got: theta.count) }
        precondition(uniforms.count == 2, "two uniforms")
        let latent = [Self.parameters[2].distribution.quantile(uniforms[0]),
                      Self.parameters[3].distribution.quantile(uniforms[1])]
        return try simulate(theta + latent)
    }

    /// log p(x | θ), exact (see the type's documentation); −∞ on the measure-zero line u = 0, ρ = 0.
    public func logLikelihood(x: [Double], theta: [Double]) -> Double {
        precondition(x.count == 2 && theta.count == 2, "x and theta have two values")
        let (m1, m2) = Self.shift(theta1: theta[0], theta2: theta[1])
        let u = x[0] - m1 - Self.offset
        let v = x[1] - m2
        let rho = (u * u + v * v).squareRoot()
        guard rho > 0, u != 0 else { return -.infinity }
        let radius = u > 0 ? rho : -rho
        let z = (radius - Self.radiusMean) / Self.radiusStandardDeviation
        return -log(Double.pi) + StandardNormal.logDensity(z) - log(Self.radiusStandardDeviation) - log(rho)
    }
}
