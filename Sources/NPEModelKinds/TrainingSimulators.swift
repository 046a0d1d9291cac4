import Foundation
import NPEDatasets
import NPEInference
import NPEModels
import NPESimulators

/// The simulator a model was trained on, found from its card's dataset lineage in the built-in catalogue: what
/// importance sampling weighs against and `npe-validate` scores reference rows with.
public enum TrainingSimulators {
    /// The exact likelihood of the simulator in the model's dataset lineage: the built-in simulator of that name,
    /// refused unless its version and configuration are the ones the training set was made with.
    public static func likelihood(of model: PosteriorModel) throws -> SimulatorLikelihood {
        let reference = model.id.description
        let lineage = model.card.dataset.simulator
        func unavailable(_ reason: String) -> InferenceError { .likelihoodUnavailable(model: reference, reason: reason) }
        let simulator: any Simulator
        do {
            simulator = try SimulatorCatalog.entry(named: lineage.name).simulator
        } catch {
            throw unavailable("the training simulator '\(lineage.name)' is not built in (\(error))")
        }
        guard simulator.version == lineage.version else {
            throw unavailable("the training set was simulated with \(lineage.name) \(lineage.version), the built-in one is \(simulator.version)")
        }
        guard let text = lineage.configuration["simulator_configuration"],
              let recorded = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else {
            throw unavailable("the card's dataset lineage does not record the simulator configuration")
        }
        let builtIn = simulator.configuration
        if let key = Set(recorded.keys).union(builtIn.keys).sorted().first(where: { recorded[$0] != builtIn[$0] }) {
            throw unavailable("simulator setting '\(key)' was '\(recorded[key] ?? "absent")' in training, the built-in default is '\(builtIn[key] ?? "absent")'")
        }
        return try SimulatorLikelihood(simulator: simulator, prior: model.prior, thetaNames: model.parameterNames,
                                       contextNames: model.contextNames, model: reference)
    }

    /// The built-in simulator called `name` (a dataset's `simulator_name`), nil when it is not built in.
    public static func builtIn(named name: String) throws -> (any Simulator)? {
        SimulatorCatalog.names.contains(name) ? try SimulatorCatalog.entry(named: name).simulator : nil
    }
}
