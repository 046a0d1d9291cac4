import Foundation

/// Options of one build run that do not change its result.
public struct DatasetBuildOptions: Sendable {
    /// Worker threads in this process (≥ 1). The result does not depend on it.
    public var threads: Int
    /// Finish an interrupted build instead of refusing existing output.
    public var resume: Bool
    /// Keep `shards/` after the merge (by default it is deleted once `dataset.h5` is published).
    public var keepShards: Bool
    /// Seconds between progress reports.
    public var progressInterval: Double
    /// Checked before each shard starts; when it returns false, workers finish their current shard and the build
    /// throws ``DatasetBuildError/interrupted(completedShards:totalShards:)``, leaving the shards for `--resume`.
    public var shouldContinue: @Sendable () -> Bool

    public init(
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, resume: Bool = false,
        keepShards: Bool = false, progressInterval: Double = 0.5,
        shouldContinue: @escaping @Sendable () -> Bool = { true }
    ) {
        self.threads = threads
        self.resume = resume
        self.keepShards = keepShards
        self.progressInterval = progressInterval
        self.shouldContinue = shouldContinue
    }
}
