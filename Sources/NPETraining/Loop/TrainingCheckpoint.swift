import Foundation
import NPEData
import NPENN
import NPERegistry
import NPETensor
import NPESupport
import NPESafetensors

/// Everything needed to continue a run after `kill -9`: current and best weights, optimizer moments, schedule
/// state, early-stopping counters and the epoch history. All randomness is keyed on (seed, epoch), so nothing
/// else is needed for a resumed run to equal an uninterrupted one.
///
/// On disk: one safetensors file (weights as `model.*`, best weights as `best.*`, optimizer state as
/// `optimizer.*`) whose `__metadata__["checkpoint"]` holds ``State`` as JSON, sealed with a SHA-256 of its content
/// (``SealedSafetensors``) that ``read(from:)`` verifies, so a damaged checkpoint is refused instead of resumed. It is replaced atomically (temporary
/// file, fsync, rename), so a crash leaves the previous checkpoint or the new one, never a torn file.
public struct TrainingCheckpoint {
    public struct State: Codable, Equatable, Sendable {
        public var formatVersion = 1
        public var completedEpochs: Int
        public var bestValidationLoss: Float
        public var bestEpoch: Int
        public var epochsWithoutImprovement: Int
        public var plateau: ReduceOnPlateau?
        public var history: [EpochMetrics]
        /// Identifies the run, so a checkpoint of another run is refused on resume.
        public var runIdentity: String
        /// Steps of epoch `completedEpochs` already taken when the run was stopped mid-epoch (Ctrl-C); 0 at an
        /// epoch boundary. Resuming replays the epoch's deterministic batch stream past them.
        public var stepsInEpoch = 0
        /// The stopped epoch's summed training loss and row count so far (nil at an epoch boundary).
        public var partialTrainingTotals: [Double]?

        public init(completedEpochs: Int, bestValidationLoss: Float, bestEpoch: Int, epochsWithoutImprovement: Int,
                    plateau: ReduceOnPlateau?, history: [EpochMetrics], runIdentity: String) {
            self.completedEpochs = completedEpochs
            self.bestValidationLoss = bestValidationLoss
            self.bestEpoch = bestEpoch
            self.epochsWithoutImprovement = epochsWithoutImprovement
            self.plateau = plateau
            self.history = history
            self.runIdentity = runIdentity
        }
    }

    public var state: State
    public var model: [String: Tensor]
    public var best: [String: Tensor]
    public var optimizer: [String: Tensor]

    public func write(to url: URL) throws {
        var tensors: [String: TensorBlob] = [:]
        for (prefix, dictionary) in [("model", model), ("best", best), ("optimizer", optimizer)] {
            for (name, tensor) in dictionary {
                tensors["\(prefix).\(name)"] = try TensorBlob(shape: tensor.shape, floats: tensor.scalars)
            }
        }
        let json = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        let data = try SealedSafetensors.encode(NamedTensors(tensors: tensors, metadata: ["checkpoint": json]))
        try CheckpointFile.write(data, to: url)
    }

    public static func read(from url: URL) throws -> TrainingCheckpoint {
        let named: NamedTensors
        do {
            named = try SealedSafetensors.decode(try Data(contentsOf: url))
        } catch {
            // A damaged checkpoint must never resume: it would publish weights no uninterrupted run gives.
            throw TrainingError.checkpoint(
                path: url.path,
                reason: "unusable checkpoint (\(error)); it cannot be resumed. Delete it and rerun without --resume "
                    + "to train from the start")
        }
        guard let json = named.metadata["checkpoint"],
              let state = try? JSONDecoder().decode(State.self, from: Data(json.utf8)) else {
            throw TrainingError.checkpoint(path: url.path, reason: "missing or malformed checkpoint metadata")
        }
        guard state.formatVersion == 1 else {
            throw TrainingError.checkpoint(path: url.path, reason: "unsupported checkpoint format version \(state.formatVersion)")
        }
        var parts: [String: [String: Tensor]] = ["model": [:], "best": [:], "optimizer": [:]]
        for (key, blob) in named.tensors {
            guard let dot = key.firstIndex(of: "."), let floats = blob.floats,
                  parts[String(key[..<dot])] != nil else {
                throw TrainingError.checkpoint(path: url.path, reason: "unexpected tensor '\(key)'")
            }
            parts[String(key[..<dot])]![String(key[key.index(after: dot)...])] = try Tensor(shape: blob.shape, scalars: floats)
        }
        return TrainingCheckpoint(state: state, model: parts["model"]!, best: parts["best"]!, optimizer: parts["optimizer"]!)
    }
}

/// Checkpoint files through NPEData's ``AtomicFile`` (temporary sibling, fsync, rename, directory fsync), creating
/// the checkpoint directory first and reporting failures as ``TrainingError/checkpoint(path:reason:)``.
enum CheckpointFile {
    static func write(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(data, to: url) { TrainingError.checkpoint(path: $0.path, reason: "\($0.call) failed: \($0.reason)") }
    }
}
