import Foundation
import NPERegistry
import NPESafetensors
import NPETensor
import NPESupport

extension FlexAREModel {
    /// A card of kind `flexare-denoiser` or `flexare-imputer` (``FlexAREArchitecture/Role/cardKind``): the
    /// architecture as JSON, the dataset's grid and prior parameters, and the training record. Weights are the
    /// published networks (the imputer's discriminator included, so a resumed or extended run is possible).
    public func card(parameters: [ParameterDescription], inputGrid: InputGrid?, dataset: DatasetLineage,
                     training: TrainingRecord, metrics: [String: Double] = [:], toolVersion: String) throws -> ModelCard {
        if let grid = inputGrid, grid.wavelengths.count != architecture.binCount {
            throw FlexAREError.invalidModel("the grid has \(grid.wavelengths.count) bins, the model \(architecture.binCount)")
        }
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(architecture))
        return ModelCard(kind: architecture.role.cardKind, architecture: json, parameters: parameters, inputGrid: inputGrid,
                         dataset: dataset, training: training, metrics: metrics, toolVersion: toolVersion)
    }

    /// The weights as the registry's named Float32 tensors.
    public func namedTensors() throws -> NamedTensors {
        var tensors: [String: TensorBlob] = [:]
        for (name, value) in parameterDictionary() { tensors[name] = try TensorBlob(shape: value.shape, floats: value.scalars) }
        return NamedTensors(tensors: tensors)
    }

    /// Rebuilds a model from a registry entry of either FlexARE kind: checks the kind, decodes and checks the
    /// architecture, loads every weight.
    ///
    /// - Throws: ``FlexAREError/invalidModel(_:)`` naming the entry for another kind, an unreadable or
    ///   inconsistent architecture, or non-Float32 weights; `ModuleError` for missing or extra weights.
    public convenience init(loaded: LoadedModel) throws {
        let card = loaded.card
        guard let role = FlexAREArchitecture.Role.allCases.first(where: { $0.cardKind == card.kind }) else {
            throw FlexAREError.invalidModel("\(loaded.id): kind is '\(card.kind)', expected "
                + FlexAREArchitecture.Role.allCases.map { "'\($0.cardKind)'" }.joined(separator: " or "))
        }
        let architecture: FlexAREArchitecture
        do {
            architecture = try JSONDecoder().decode(FlexAREArchitecture.self, from: JSONEncoder().encode(card.architecture))
        } catch {
            throw FlexAREError.invalidModel("\(loaded.id): architecture does not decode (\(error))")
        }
        guard architecture.formatVersion == 1 else {
            throw FlexAREError.invalidModel("\(loaded.id): architecture format version \(architecture.formatVersion), expected 1")
        }
        let s = architecture.scaling, m = architecture.binCount
        guard architecture.role == role, m >= 1, [s.mean.count, s.scale.count, s.low.count, s.high.count].allSatisfy({ $0 == m }),
              s.scale.allSatisfy({ $0 > 0 && $0.isFinite }), s.mean.allSatisfy(\.isFinite) else {
            throw FlexAREError.invalidModel("\(loaded.id): architecture is inconsistent (role \(architecture.role), \(m) bins, scaling sizes "
                + "\([s.mean.count, s.scale.count, s.low.count, s.high.count]), scales must be positive)")
        }
        if let grid = card.inputGrid, grid.wavelengths.count != m {
            throw FlexAREError.invalidModel("\(loaded.id): the card's grid has \(grid.wavelengths.count) bins, the architecture \(m)")
        }
        if let settings = architecture.imputer { try Self.checkSettings(imputer: settings, id: loaded.id.description) }
        try self.init(architecture: architecture, seed: 0)
        var dictionary: [String: Tensor] = [:]
        for (name, blob) in loaded.weights.tensors {
            guard let floats = blob.floats else { throw FlexAREError.invalidModel("\(loaded.id): weight '\(name)' is not Float32") }
            dictionary[name] = try Tensor(shape: blob.shape, scalars: floats)
        }
        try load(dictionary)
    }

    /// A hand-edited card cannot build a network the configuration check would have refused.
    static func checkSettings(imputer: FlexAREConfiguration.Imputer, id: String) throws {
        var configuration = FlexAREConfiguration()
        configuration.imputer = imputer
        do { try configuration.validate() } catch { throw FlexAREError.invalidModel("\(id): \(error)") }
    }
}
