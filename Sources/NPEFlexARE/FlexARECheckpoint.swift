import Foundation
import NPEData
import NPESafetensors
import NPESupport
import NPETensor

/// What a FlexARE run needs to continue after an interruption: the current and best weights, the optimiser
/// moments, the finished epochs' metrics and the run's identity. Noise, masks, hints and batch order are keyed on
/// (seed, epoch, row), so a resumed run equals an uninterrupted one.
///
/// On disk: one sealed safetensors file (``NPESafetensors/SealedSafetensors``) with `model.*`, `best.*`,
/// `optimizer.*` and `discriminatorOptimizer.*` tensors and ``State`` as JSON in
/// `__metadata__["flexare-checkpoint"]`, replaced atomically (``NPESupport/AtomicFile``).
public struct FlexARECheckpoint {
    public struct State: Codable, Equatable, Sendable {
        public var formatVersion = 1
        public var history: [FlexAREEpochMetrics]
        /// The options, architecture, pairs and dataset digest; a checkpoint of another run is refused.
        public var runIdentity: String
        /// The epoch (0-based) whose weights are `best.*`: the lowest validation RMSE so far.
        public var bestEpoch: Int
    }

    public var state: State
    public var parts: [String: [String: Tensor]]

    static let metadataKey = "flexare-checkpoint"
    static let partNames = ["model", "best", "optimizer", "discriminatorOptimizer"]

    public init(state: State, parts: [String: [String: Tensor]]) {
        self.state = state
        self.parts = parts
    }

    public func write(to url: URL) throws {
        var tensors: [String: TensorBlob] = [:]
        for (part, dictionary) in parts {
            for (name, tensor) in dictionary { tensors["\(part).\(name)"] = try TensorBlob(shape: tensor.shape, floats: tensor.scalars) }
        }
        let json = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        let data = try SealedSafetensors.encode(NamedTensors(tensors: tensors, metadata: [Self.metadataKey: json]))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(data, to: url) {
            FlexAREError.unusable("checkpoint \($0.path): \($0.call) failed: \($0.reason)")
        }
    }

    /// - Throws: ``FlexAREError/unusable(_:)`` naming the file for anything but a format-1 FlexARE checkpoint.
    public static func read(from url: URL) throws -> FlexARECheckpoint {
        func bad(_ why: String) -> FlexAREError { .unusable("checkpoint \(url.path): \(why)") }
        let named: NamedTensors
        do { named = try SealedSafetensors.decode(try Data(contentsOf: url)) } catch {
            throw bad("unusable (\(error)); it cannot be resumed. Delete it and rerun without --resume to train from the start")
        }
        guard let json = named.metadata[metadataKey],
              let state = try? JSONDecoder().decode(State.self, from: Data(json.utf8)) else { throw bad("missing or malformed metadata") }
        guard state.formatVersion == 1 else { throw bad("format version \(state.formatVersion), expected 1") }
        var parts = Dictionary(uniqueKeysWithValues: partNames.map { ($0, [String: Tensor]()) })
        for (key, blob) in named.tensors {
            guard let dot = key.firstIndex(of: "."), parts[String(key[..<dot])] != nil, let floats = blob.floats else {
                throw bad("unexpected tensor '\(key)'")
            }
            parts[String(key[..<dot])]![String(key[key.index(after: dot)...])] = try Tensor(shape: blob.shape, scalars: floats)
        }
        return FlexARECheckpoint(state: state, parts: parts)
    }
}
