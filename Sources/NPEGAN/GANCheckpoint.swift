import Foundation
import NPEData
import NPERegistry
import NPETensor
import NPETraining
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
        let parts = Dictionary(uniqueKeysWithValues: zip(Self.parts, [model, generatorOptimizer, discriminatorOptimizer]))
        try Self.writeAtomically(PartitionedCheckpoint.encode(parts: parts, state: state, metadataKey: Self.metadataKey), to: url)
    }

    /// - Throws: ``ExoGANError/invalidModel(_:)`` naming the file for anything that is not a format-1 GAN checkpoint.
    public static func read(from url: URL) throws -> GANCheckpoint {
        func bad(_ why: String) -> ExoGANError { .invalidModel("checkpoint \(url.path): \(why)") }
        let (state, dictionaries) = try PartitionedCheckpoint.decode(url, parts: parts, metadataKey: metadataKey, as: State.self, fail: bad)
        guard state.formatVersion == 1 else { throw bad("format version \(state.formatVersion), expected 1") }
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
