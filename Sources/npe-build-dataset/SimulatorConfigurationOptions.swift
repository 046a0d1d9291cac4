import ArgumentParser
import Foundation
import NPEDatasets
import NPERegistry
import NPESimulators

/// The simulator-configuration options of `build`, `simulate` and `catalogue`: a YAML file, inline keys, or a
/// trained model whose recorded configuration (and prior) is reused.
struct SimulatorConfigurationOptions: ParsableArguments {
    @Option(help: "Simulator configuration YAML (ariel-transmission: clouds, temperature, gas_overlap, fill_gas; see docs/dataset-build.md).")
    var simulatorConfig: String?

    @Option(help: ArgumentHelp("A simulator option KEY=VALUE (repeatable; overrides the file), e.g. clouds=grey-deck.", valueName: "key=value"))
    var simulatorOption: [String] = []

    @Option(help: "Registry of --model.")
    var registry: String?

    @Option(help: "Use the simulator configuration and prior recorded in this model's card (NAME@VERSION or NAME@ALIAS).")
    var model: String?

    func validate() throws {
        if (registry == nil) != (model == nil) { throw ValidationError("--registry and --model go together") }
        if model != nil && (simulatorConfig != nil || !simulatorOption.isEmpty) {
            throw ValidationError("--model reuses the card's simulator configuration; drop --simulator-config/--simulator-option")
        }
    }

    /// The simulator and prior to use: the model's recorded ones with `--model`, else `simulator` configured by the
    /// options for `prior` (or its default prior).
    func resolve(simulator name: String, prior argument: String?) throws -> (simulator: any Simulator, prior: Prior, priorSource: String) {
        if let model, let registry {
            let store = ModelRegistry(root: URL(fileURLWithPath: registry))
            let card = try store.card(of: try store.resolve(model))
            let lineage = card.dataset.simulator
            guard let json = lineage.configuration["simulator_configuration"] else {
                throw ValidationError("\(model): the card's dataset lineage does not record the simulator configuration")
            }
            let simulator = try SimulatorCatalog.simulator(named: lineage.name, version: lineage.version, recordedConfigurationJSON: json)
            let prior: Prior
            if let argument {
                prior = try DatasetInputs.prior(at: argument, fallback: try Prior.arielADC2023())
            } else {
                guard let text = lineage.configuration["prior"] else {
                    throw ValidationError("\(model): the card records no training prior; give --prior")
                }
                prior = try JSONDecoder().decode(Prior.self, from: Data(text.utf8))
            }
            return (simulator, prior, argument ?? "<card:\(model)>")
        }
        let defaults = try SimulatorCatalog.entry(named: name)
        let prior = try DatasetInputs.prior(at: argument, fallback: defaults.defaultPrior)
        let options = try DatasetInputs.simulatorOptions(file: simulatorConfig, inline: simulatorOption)
        let entry = try SimulatorCatalog.entry(named: name, options: options, prior: prior)
        return (entry.simulator, prior, argument ?? prior.source)
    }
}
