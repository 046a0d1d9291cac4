import NPESimulators
import NPETransmission

extension SimulatorCatalog {
    /// The built-in simulators, registered in one place:
    ///
    /// - `ariel-transmission`: ``ArielTransmissionSimulator`` with its default configuration (isothermal, no cloud
    ///   deck), the ADC2023 prior, and no declared noise (declare one with a noise-model file);
    /// - `linear-gaussian`: ``LinearGaussianProblem/standard(thetaCount:outputCount:)`` (D = 5, M = 10), its prior
    ///   and its Gaussian noise;
    /// - `two-moons`: ``TwoMoonsProblem`` with its four-input prior; its noise is in the latent inputs, so `none`.
    public static let standard: SimulatorCatalog = {
        var catalogue = SimulatorCatalog()
        catalogue.register("ariel-transmission") { _ in
            Entry(simulator: try ArielTransmissionSimulator(), defaultPrior: try Prior.arielADC2023(), defaultNoiseModel: .none)
        }
        catalogue.register("linear-gaussian") { _ in
            let problem = LinearGaussianProblem.standard()
            return Entry(simulator: problem, defaultPrior: problem.prior, defaultNoiseModel: problem.noiseModel)
        }
        catalogue.register("two-moons") { _ in
            let problem = TwoMoonsProblem()
            return Entry(simulator: problem, defaultPrior: problem.prior, defaultNoiseModel: .none)
        }
        return catalogue
    }()
}
