import NPESimulators

/// The simulators `npe-build-dataset --simulator NAME` knows, each with its default prior and declared noise.
///
/// Defaults exist so the analytic problems are one command away; a `--prior` file always overrides the prior.
public enum SimulatorCatalog {
    /// A registered simulator with the prior and noise model a dataset uses when none is given.
    public struct Entry: Sendable {
        /// The model.
        public var simulator: any Simulator
        /// The prior used when no prior file is given.
        public var defaultPrior: Prior
        /// The noise model recorded in the dataset when none is declared.
        public var defaultNoiseModel: NoiseModel
    }

    /// Registered names: `ariel-transmission`, `linear-gaussian`, `two-moons`.
    public static let names = ["ariel-transmission", "linear-gaussian", "two-moons"]

    /// Makes the simulator called `name`.
    ///
    /// - `ariel-transmission`: ``ArielTransmissionSimulator`` with its default configuration (isothermal, no cloud
    ///   deck), the ADC2023 prior, and no declared noise (declare one with a noise-model file);
    /// - `linear-gaussian`: ``LinearGaussianProblem/standard(thetaCount:outputCount:)`` (D = 5, M = 10), its prior
    ///   and its Gaussian noise;
    /// - `two-moons`: ``TwoMoonsProblem`` with its four-input prior; its noise is in the latent inputs, so `none`.
    /// - Throws: ``DatasetBuildError/unknownSimulator(name:known:)``, or the simulator's own loading error.
    public static func entry(named name: String) throws -> Entry {
        switch name {
        case "ariel-transmission":
            return Entry(
                simulator: try ArielTransmissionSimulator(), defaultPrior: try Prior.arielADC2023(),
                defaultNoiseModel: .none)
        case "linear-gaussian":
            let problem = LinearGaussianProblem.standard()
            return Entry(simulator: problem, defaultPrior: problem.prior, defaultNoiseModel: problem.noiseModel)
        case "two-moons":
            let problem = TwoMoonsProblem()
            return Entry(simulator: problem, defaultPrior: problem.prior, defaultNoiseModel: .none)
        default:
            throw DatasetBuildError.unknownSimulator(name: name, known: names)
        }
    }
}
