import Foundation

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
