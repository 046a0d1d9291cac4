import Foundation
import NPEExternalSimulator
import NPESimulators
import NPETransmission

extension SimulatorCatalog {
    /// The built-in simulators, registered in one place:
    ///
    /// - `ariel-transmission`: ``ArielTransmissionSimulator`` with its default configuration (isothermal, no cloud
    ///   deck), the ADC2023 prior, and no declared noise (declare one with a noise-model file); configurable by
    ///   options (clouds, temperature profile, gas overlap, fill gas) and rebuilt from a recorded configuration;
    /// - `linear-gaussian`: ``LinearGaussianProblem/standard(thetaCount:outputCount:)`` (D = 5, M = 10), its prior
    ///   and its Gaussian noise;
    /// - `two-moons`: ``TwoMoonsProblem`` with its four-input prior; its noise is in the latent inputs, so `none`;
    /// - `exec:FILE.yaml`: the user's own command (``ExternalSimulator``, `docs/external-simulators.md`), with the
    ///   description's `prior` (else the ADC2023 prior) and no declared noise; rebuilt from a record by re-reading
    ///   the description and refused when its command, inputs or files changed.
    public static let standard: SimulatorCatalog = {
        var catalogue = SimulatorCatalog()
        catalogue.register("ariel-transmission", configurability: arielConfigurability) { _ in
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
        catalogue.registerScheme("exec", rebuild: { try ExternalSimulator(recorded: $0) }) { argument in
            let simulator = try ExternalSimulator(contentsOf: URL(fileURLWithPath: argument ?? ""))
            let prior: Prior
            if let written = simulator.contract.prior {
                let path = Prior.builtinNames.contains(written) ? written : simulator.contract.resolve(written).path
                prior = try DatasetInputs.prior(at: path, fallback: try Prior.arielADC2023())
            } else {
                prior = try Prior.arielADC2023()
            }
            return Entry(simulator: simulator, defaultPrior: prior, defaultNoiseModel: .none)
        }
        return catalogue
    }()

    /// The ARIEL model's options.
    ///
    /// An option that adds a simulator input is switched on when the prior declares that input and no option sets
    /// it: a prior with `log_cloud_pressure` gets the grey deck, one with `fill_n2_fraction` the H2/He/N2 fill. So
    /// `--prior ariel-mcs-2024` needs no configuration file. An option that contradicts the prior (`clouds: none`
    /// with a prior that declares `log_cloud_pressure`) is an error, never a silently unused parameter.
    static let arielConfigurability = Configurability(
        configure: { options, prior in
            let declared = Set(prior?.parameters.map(\.name) ?? [])
            let given = Set(options.map { $0.key == "fill_gas" ? "fill_gas.composition" : $0.key })
            var implied: [SimulatorOption] = []
            let source = prior.map { "<implied by prior \($0.source)>" } ?? "<implied>"
            if declared.contains("log_cloud_pressure") && !given.contains("clouds") {
                implied.append(SimulatorOption(key: "clouds", value: "grey-deck", source: source))
            }
            if declared.contains("fill_n2_fraction") && !given.contains("fill_gas.composition") {
                implied.append(SimulatorOption(key: "fill_gas.composition", value: "h2-he-n2", source: source))
            }
            let configuration = try TransmissionModelConfiguration(options: implied + options)
            if let prior {
                let switches: [(input: String, on: Bool, key: String)] = [
                    ("log_cloud_pressure", configuration.cloudDeck, "clouds"),
                    ("fill_n2_fraction", configuration.fillGas == .hydrogenHeliumNitrogen, "fill_gas.composition"),
                ]
                for (input, on, key) in switches where declared.contains(input) && !on {
                    let option = options.last { $0.key == key || ($0.key == "fill_gas" && key == "fill_gas.composition") }
                    throw SimulatorConfigurationError(
                        file: option?.source ?? prior.source, key: key, line: option?.line,
                        problem: .notApplicable(
                            "the prior \(prior.source) declares '\(input)', which this setting leaves unused; "
                                + "drop the parameter from the prior or change the setting"))
                }
            }
            return Entry(
                simulator: try ArielTransmissionSimulator(configuration: configuration), defaultPrior: try Prior.arielADC2023(),
                defaultNoiseModel: .none)
        },
        rebuild: { recorded in
            try ArielTransmissionSimulator(configuration: try TransmissionModelConfiguration(recorded: recorded))
        })
}
