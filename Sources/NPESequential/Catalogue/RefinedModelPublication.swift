import Foundation
import NPEData
import NPEFlows
import NPEModels
import NPERegistry
import NPESupport

/// Publishes a target's refined estimator as an `npe-flow` model of its own, `PARENT-refined-TARGET`, so
/// `npe-infer`, `npe-validate` and the report load it like any other. The card is the parent's (same
/// architecture, standardisation, prior, noise and simulator lineage, so importance sampling rebuilds the same
/// simulator), with
/// - `dataset`: the target's round directory, the digest and row count of the last training set;
/// - `training.configuration.refinement`: the lineage — parent model, target id, method, rounds, simulations,
///   and every round's record;
/// - `metrics`: `refinement_rounds`, `refinement_simulations`, and the last round's ESS and efficiency.
///
/// The published id is kept in the round directory (`published.json`), so a resumed run publishes each target
/// once.
enum RefinedModelPublication {
    static func publish(_ estimator: NeuralPosteriorEstimator, parent: LoadedModel, target: String, settings: SequentialSettings,
                        result: SequentialRefinement.Result, rounds directory: URL, to registry: ModelRegistry) throws -> String {
        let marker = directory.appendingPathComponent("published.json")
        if let data = try? Data(contentsOf: marker), let id = try? JSONDecoder().decode(String.self, from: data) { return id }
        var card = parent.card
        let training = directory.appendingPathComponent("training.h5")
        if let reader = try? TrainingDatasetReader(contentsOf: training) {
            card.dataset.path = directory.path
            card.dataset.digest = reader.contentDigest
            card.dataset.rowCount = reader.rowCount
            try? reader.close()
        }
        let records = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder.iso.encode(result.records))
        let settingsJSON = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder.iso.encode(settings))
        card.training.configuration = .object([
            "refinement": .object([
                "parent": .string(parent.id.description), "target": .string(target), "method": .string(settings.method.rawValue),
                "rounds": .number(Double(result.records.count)), "simulations": .number(Double(result.simulations)),
                "settings": settingsJSON, "records": records,
            ]),
            "parent_training": parent.card.training.configuration,
        ])
        card.metrics["refinement_rounds"] = Double(result.records.count)
        card.metrics["refinement_simulations"] = Double(result.simulations)
        if let last = result.records.last(where: { $0.effectiveSampleSize != nil }) {
            card.metrics["refinement_last_ess"] = last.effectiveSampleSize
            card.metrics["refinement_last_efficiency"] = last.efficiency
        }
        let id = try PosteriorModel.publish(estimator, name: name(parent: parent.id.name, target: target), to: registry, card: card)
        try AtomicFile.write(JSONEncoder().encode(id.description), to: marker)
        return id.description
    }

    /// `PARENT-refined-TARGET`, with every character of the id outside [A-Za-z0-9._-] replaced by '-'.
    static func name(parent: String, target: String) -> String {
        let safe = String(target.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar)) ? Character(scalar) : "-"
        }).replacingOccurrences(of: "..", with: "-")
        return "\(parent)-refined-\(safe)"
    }
}
