import Foundation
import NPEChecksum
import NPEData
import NPEDatasets
import NPEInference
import NPEModels
import NPERegistry
import NPESimulators

/// The simulator a model was trained on, found from its card's dataset lineage in the built-in catalogue: what
/// importance sampling weighs against and `npe-validate` scores reference rows with.
public enum TrainingSimulators {
    /// The exact likelihood of the simulator in the model's dataset lineage: the built-in simulator of that name and
    /// version, rebuilt with the configuration the training set recorded (clouds, temperature profile, fill gas, …),
    /// and refused when this build cannot reproduce it.
    public static func likelihood(of model: PosteriorModel) throws -> SimulatorLikelihood {
        let reference = model.id.description
        let lineage = model.card.dataset.simulator
        func unavailable(_ reason: String) -> InferenceError { .likelihoodUnavailable(model: reference, reason: reason) }
        guard let text = lineage.configuration["simulator_configuration"] else {
            throw unavailable("the card's dataset lineage does not record the simulator configuration")
        }
        let simulator: any Simulator
        do {
            simulator = try SimulatorCatalog.simulator(named: lineage.name, version: lineage.version, recordedConfigurationJSON: text)
        } catch let error as DatasetBuildError {
            if case let .invalidArgument(_, reason) = error { throw unavailable(reason) }
            throw unavailable("\(error)")
        }
        return try SimulatorLikelihood(simulator: simulator, prior: model.prior, thetaNames: model.parameterNames,
                                       contextNames: model.contextNames, model: reference)
    }

    /// The built-in simulator that made a dataset, rebuilt from its recorded name, version and configuration; nil
    /// when it is not built in (an imported dataset).
    ///
    /// - Throws: ``DatasetBuildError`` when it is built in but this build cannot reproduce the recorded setup.
    public static func recorded(in metadata: TrainingDatasetMetadata) throws -> (any Simulator)? {
        guard SimulatorCatalog.standard.recognizes(recorded: metadata.simulatorName) else { return nil }
        return try SimulatorCatalog.simulator(named: metadata.simulatorName, version: metadata.simulatorVersion,
                                              recordedConfigurationJSON: metadata.simulatorConfigurationJSON)
    }

    /// SHA-256 of a registry entry's `card.json`, for the posterior file (nil when it cannot be read; the registry's
    /// own checksums already verified it on load).
    public static func cardDigest(of loaded: LoadedModel) -> String? {
        try? SHA256.hexDigest(ofFileAt: loaded.directory.appendingPathComponent("card.json"))
    }
}
