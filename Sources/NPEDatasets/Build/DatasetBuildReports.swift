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

    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, resume: Bool = false,
                keepShards: Bool = false, progressInterval: Double = 0.5,
                shouldContinue: @escaping @Sendable () -> Bool = { true }) {
        self.threads = threads
        self.resume = resume
        self.keepShards = keepShards
        self.progressInterval = progressInterval
        self.shouldContinue = shouldContinue
    }
}

/// A snapshot of a running build, passed to the progress callback on the calling thread.
public struct DatasetBuildProgress: Sendable {
    /// What the build is doing.
    public enum Phase: String, Sendable { case simulating, merging }
    public var phase: Phase
    /// Rows done in this phase (simulating: by this rank in this run, plus shards found on resume) and the total.
    public var completedRows: Int
    public var totalRows: Int
    /// Rows flagged as failed so far (simulating: this run's rows on this rank).
    public var failedRows: Int
    /// Seconds since the phase started, and rows per second in this run.
    public var elapsedSeconds: Double
    public var rowsPerSecond: Double

    /// Estimated seconds left at the current rate, nil before any rate is known.
    public var estimatedSecondsLeft: Double? {
        rowsPerSecond > 0 ? Double(totalRows - completedRows) / rowsPerSecond : nil
    }
}

/// What a finished build produced.
public struct DatasetBuildSummary: Sendable {
    /// `datasets/NAME/dataset.h5`.
    public var datasetURL: URL
    /// N, and the rows flagged as failed simulations (kept in the file with flag bit 0 set).
    public var rows: Int
    public var failedRows: Int
    /// The first failed row index, if any, and the first simulator error seen by this process, if one threw.
    public var firstFailedRow: Int?
    public var firstError: String?
    /// Size of `dataset.h5`, and of its row data uncompressed (4 bytes per theta, x and context value, 1 per flag).
    public var fileBytes: Int
    public var uncompressedBytes: Int
    /// Shards computed in this run, and shards reused from an interrupted run.
    public var shardsComputed: Int
    public var shardsReused: Int
    /// The dataset's content digest (lowercase hex SHA-256, see docs/dataset-format.md).
    public var contentDigest: String
    /// Wall-clock seconds of this run.
    public var seconds: Double
    /// Thread-seconds this process spent simulating, and storing (writing shards plus the merge): their ratio is
    /// the HDF5 and compression overhead. Zero when nothing was computed.
    public var simulationSeconds: Double = 0
    public var storageSeconds: Double = 0

    /// uncompressed / stored bytes.
    public var compressionRatio: Double { fileBytes > 0 ? Double(uncompressedBytes) / Double(fileBytes) : 0 }
}
