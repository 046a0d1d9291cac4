import Foundation

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
