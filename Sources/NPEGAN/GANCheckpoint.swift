import Foundation
import NPEData
import NPERegistry
import NPETensor
import NPESupport
import NPESafetensors

/// What a GAN run needs to continue after an interruption: both networks (with running statistics), both Adam
/// states, the completed epochs and their metrics. Latent draws and batch order are keyed on (seed, epoch), so a
/// resumed run equals an uninterrupted one bit for bit (tested).
///
/// On disk: one safetensors file with `model.*`, `generatorOptimizer.*` and `discriminatorOptimizer.*` tensors
/// and ``State`` as JSON in `__metadata__["gan-checkpoint"]`, sealed with a SHA-256 of its content
/// (``SealedSafetensors``) that ``read(from:)`` verifies. It is replaced atomically (temporary sibling,
/// fsync, rename, directory fsync), so a crash leaves the old checkpoint or the new one.
public struct GANCheckpoint {
    public struct State: Codable, Equatable, Sendable {
        public var formatVersion = 1
        public var completedEpochs: Int
        public var history: [GANEpochMetrics]
        /// The options, architecture and dataset digest of the run; a checkpoint of another run is refused.
        public var runIdentity: String
    }

    public var state: State
    public var model: [String: Tensor]
    public var generatorOptimizer: [String: Tensor]
    public var discriminatorOptimizer: [String: Tensor]

    static let metadataKey = "gan-checkpoint"
    static let parts = ["model", "generatorOptimizer", "discriminatorOptimizer"]

    public func write(to url: URL) throws {
        var tensors: [String: TensorBlob] = [:]
        for (prefix, dictionary) in zip(Self.parts, [model, generatorOptimizer, discriminatorOptimizer]) {
            for (name, tensor) in dictionary { tensors["\(prefix).\(name)"] = try TensorBlob(shape: tensor.shape, floats: tensor.scalars) }
        }
        let json = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        try Self.writeAtomically(SealedSafetensors.encode(NamedTensors(tensors: tensors, metadata: [Self.metadataKey: json])), to: url)
    }

    /// - Throws: ``ExoGANError/invalidModel(_:)`` naming the file for anything that is not a format-1 GAN checkpoint.
    public static func read(from url: URL) throws -> GANCheckpoint {
        func bad(_ why: String) -> ExoGANError { .invalidModel("checkpoint \(url.path): \(why)") }
        let named: NamedTensors
        do { named = try SealedSafetensors.decode(try Data(contentsOf: url)) } catch {
            throw bad("unusable (\(error)); it cannot be resumed. Delete it and rerun without --resume to train from the start")
        }
        guard let json = named.metadata[metadataKey],
              let state = try? JSONDecoder().decode(State.self, from: Data(json.utf8)) else { throw bad("missing or malformed metadata") }
        guard state.formatVersion == 1 else { throw bad("format version \(state.formatVersion), expected 1") }
        var dictionaries = Dictionary(uniqueKeysWithValues: parts.map { ($0, [String: Tensor]()) })
        for (key, blob) in named.tensors {
            guard let dot = key.firstIndex(of: "."), dictionaries[String(key[..<dot])] != nil, let floats = blob.floats else {
                throw bad("unexpected tensor '\(key)'")
            }
            dictionaries[String(key[..<dot])]![String(key[key.index(after: dot)...])] = try Tensor(shape: blob.shape, scalars: floats)
        }
        return GANCheckpoint(state: state, model: dictionaries["model"]!, generatorOptimizer: dictionaries["generatorOptimizer"]!,
                             discriminatorOptimizer: dictionaries["discriminatorOptimizer"]!)
    }

    /// Through NPEData's ``AtomicFile`` (temporary sibling, fsync, rename), creating the directory first.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(data, to: url) {
            ExoGANError.invalidOption(name: "checkpoint", reason: "\($0.call) of \($0.path) failed: \($0.reason)")
        }
    }
}
