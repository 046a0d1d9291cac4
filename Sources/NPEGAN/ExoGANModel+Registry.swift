import Foundation
import NPERegistry
import NPETensor
import NPESafetensors
import NPESupport

extension ExoGANModel {
    /// A card of kind `exogan` for this model: the architecture (``GANArchitecture`` as JSON) plus what the
    /// caller knows about the data. The parameters must match the encoding's prior box in number, and the grid,
    /// when given, must have 52 bins.
    public func card(parameters: [ParameterDescription], inputGrid: InputGrid?, dataset: DatasetLineage,
                     training: TrainingRecord, metrics: [String: Double] = [:], toolVersion: String) throws -> ModelCard {
        guard parameters.count == encoding.parameterCount else {
            throw ExoGANError.parameterCount(expected: "\(encoding.parameterCount) (the encoding's prior box)", got: parameters.count)
        }
        if let grid = inputGrid, grid.wavelengths.count != ASPALayout.binCount {
            throw ExoGANError.spectrumLength(expected: ASPALayout.binCount, got: grid.wavelengths.count)
        }
        let architectureJSON = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(architecture))
        return ModelCard(kind: Self.kind, architecture: architectureJSON, parameters: parameters, inputGrid: inputGrid,
                         dataset: dataset, training: training, metrics: metrics, toolVersion: toolVersion)
    }

    /// Both networks' weights and running statistics as the registry's named Float32 tensors.
    public func namedTensors() throws -> NamedTensors {
        var tensors: [String: TensorBlob] = [:]
        for (name, value) in parameterDictionary() { tensors[name] = try TensorBlob(shape: value.shape, floats: value.scalars) }
        return NamedTensors(tensors: tensors)
    }

    /// Publishes a new version of `name` (card from ``card(parameters:inputGrid:dataset:training:metrics:toolVersion:)``).
    @discardableResult
    public func publish(to registry: ModelRegistry, name: String, parameters: [ParameterDescription], inputGrid: InputGrid?,
                        dataset: DatasetLineage, training: TrainingRecord, metrics: [String: Double] = [:],
                        toolVersion: String, files: [String: Data] = [:]) throws -> ModelVersionID {
        let card = try card(parameters: parameters, inputGrid: inputGrid, dataset: dataset, training: training,
                            metrics: metrics, toolVersion: toolVersion)
        return try registry.publish(name: name, card: card, weights: namedTensors(), files: files)
    }

    /// Rebuilds a model from a registry entry: checks the kind, decodes the architecture, loads every weight.
    /// - Throws: ``ExoGANError/invalidModel(_:)`` for another kind, an unreadable architecture, a parameter list
    ///   that does not match the encoding, or non-Float32 weights; `ModuleError` for missing or extra weights.
    public convenience init(loaded: LoadedModel) throws {
        let card = loaded.card
        guard card.kind == Self.kind else {
            throw ExoGANError.invalidModel("\(loaded.id): kind is '\(card.kind)', expected '\(Self.kind)'")
        }
        let architecture: GANArchitecture
        do {
            architecture = try JSONDecoder().decode(GANArchitecture.self, from: JSONEncoder().encode(card.architecture))
        } catch {
            throw ExoGANError.invalidModel("\(loaded.id): architecture does not decode (\(error))")
        }
        guard architecture.formatVersion == 1 else {
            throw ExoGANError.invalidModel("\(loaded.id): architecture format version \(architecture.formatVersion), expected 1")
        }
        guard card.parameters.count == architecture.encoding.parameterCount else {
            throw ExoGANError.invalidModel("\(loaded.id): card lists \(card.parameters.count) parameters, the encoding \(architecture.encoding.parameterCount)")
        }
        // Validates the encoding's bounds (a hand-edited card could break them) by re-running its initialiser.
        let encoding = architecture.encoding
        _ = try ASPAEncoding(parameterLow: encoding.parameterLow, parameterHigh: encoding.parameterHigh,
                             logDepthRange: encoding.logDepthLow...encoding.logDepthHigh)
        try self.init(architecture: GANArchitecture(latentDimension: architecture.latentDimension,
                                                    baseChannels: architecture.baseChannels, encoding: encoding), seed: 0)
        var dictionary: [String: Tensor] = [:]
        for (name, blob) in loaded.weights.tensors {
            guard let floats = blob.floats else { throw ExoGANError.invalidModel("\(loaded.id): weight '\(name)' is not Float32") }
            dictionary[name] = try Tensor(shape: blob.shape, scalars: floats)
        }
        try load(dictionary)
        setMode(.evaluation)
    }
}
