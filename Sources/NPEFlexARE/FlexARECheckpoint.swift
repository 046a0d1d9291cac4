import Foundation
import NPEData
import NPESupport
import NPETensor
import NPETraining

/// What a FlexARE run needs to continue after an interruption: the current and best weights, the optimiser
/// moments, the finished epochs' metrics and the run's identity. Noise, masks, hints and batch order are keyed on
/// (seed, epoch, row), so a resumed run equals an uninterrupted one.
///
/// On disk (``NPETraining/PartitionedCheckpoint``): one sealed safetensors file with `model.*`, `best.*`,
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
        let data = try PartitionedCheckpoint.encode(parts: parts, state: state, metadataKey: Self.metadataKey)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(data, to: url) {
            FlexAREError.unusable("checkpoint \($0.path): \($0.call) failed: \($0.reason)")
        }
    }

    /// - Throws: ``FlexAREError/unusable(_:)`` naming the file for anything but a format-1 FlexARE checkpoint.
    public static func read(from url: URL) throws -> FlexARECheckpoint {
        func bad(_ why: String) -> FlexAREError { .unusable("checkpoint \(url.path): \(why)") }
        let (state, parts) = try PartitionedCheckpoint.decode(url, parts: partNames, metadataKey: metadataKey, as: State.self, fail: bad)
        guard state.formatVersion == 1 else { throw bad("format version \(state.formatVersion), expected 1") }
        return FlexARECheckpoint(state: state, parts: parts)
    }
}
