import NPEInference
import NPERegistry
import NPETraining

/// Every model kind the commands know, registered in one place.
public enum ModelKinds {
    /// The registered kinds; a new kind is one conformer and one entry here.
    public static let all: [any ModelKind] = [FlowModelKind(), ExoGANModelKind()]

    /// The card kinds of ``all`` (`npe-flow`, `exogan`).
    public static var cardKinds: [String] { all.map(\.cardKind) }
    /// The `npe-train --kind` names of ``all`` (`flow`, `exogan`).
    public static var trainingNames: [String] { all.map(\.trainingName) }

    /// Every kind's configuration sections, in the order of ``all``: what a configuration file may hold besides
    /// the shared keys.
    public static var configurationSections: [any TrainingConfigurationSection.Type] {
        all.flatMap(\.configurationSections)
    }

    /// The shared defaults with every kind's sections at theirs.
    public static func defaultConfiguration() -> TrainingConfiguration {
        TrainingConfiguration(sections: configurationSections)
    }

    /// The kind of a registry entry.
    ///
    /// - Throws: ``InferenceError/unsupportedModelKind(model:kind:supported:)`` naming the known kinds.
    public static func kind(of loaded: LoadedModel) throws -> any ModelKind {
        guard let kind = all.first(where: { $0.cardKind == loaded.card.kind }) else {
            throw InferenceError.unsupportedModelKind(model: loaded.id.description, kind: loaded.card.kind, supported: cardKinds)
        }
        return kind
    }

    /// The kind `npe-train --kind NAME` trains, nil for an unknown name.
    public static func kind(trainingName name: String) -> (any ModelKind)? {
        all.first { $0.trainingName == name }
    }
}
