import Foundation
import NPEData

/// Merges a build's shards, in order, into `dataset.h5`.
///
/// Each shard is verified (``DatasetShardStore/openVerifiedShard(_:plan:)``) and streamed one HDF5 chunk at a time
/// into one ``TrainingDatasetWriter``, so memory stays at a few chunks whatever N, and the file appears atomically
/// when the writer commits.
struct DatasetShardMerger {
    let plan: DatasetBuildPlan
    let store: DatasetShardStore
    let metadata: TrainingDatasetMetadata

    struct Result {
        var contentDigest: String
        var failedRows: Int
        var firstFailedRow: Int?
        var fileBytes: Int
        var seconds: Double
    }

    func merge(interval: Double, progress: ((DatasetBuildProgress) -> Void)?) throws -> Result {
        let writer = try TrainingDatasetWriter(
            creatingAt: store.datasetURL, metadata: metadata, storesFlags: true,
            chunkRows: plan.chunkRows, replacingExisting: false)
        let start = DispatchTime.now().uptimeNanoseconds
        var lastReport = 0.0
        var failed = 0
        var firstFailed: Int?
        let digest = try writer.write {
            for shard in 0..<plan.shardCount {
                let reader = try store.openVerifiedShard(shard, plan: plan)
                defer { try? reader.close() }
                let base = plan.rowRange(ofShard: shard).lowerBound
                for chunk in 0..<reader.chunkCount {
                    let rows = try reader.readChunk(chunk)
                    for (offset, flag) in (rows.flags ?? []).enumerated() where flag != 0 {
                        failed += 1
                        if firstFailed == nil { firstFailed = base + rows.rows.lowerBound + offset }
                    }
                    try writer.append(theta: rows.theta, x: rows.x, context: rows.context, flags: rows.flags)
                }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if let progress, seconds - lastReport >= interval || shard == plan.shardCount - 1 {
                    lastReport = seconds
                    progress(
                        DatasetBuildProgress(
                            phase: .merging, completedRows: writer.rowCount, totalRows: plan.rows, failedRows: failed,
                            elapsedSeconds: seconds, rowsPerSecond: Double(writer.rowCount) / max(seconds, 1e-9)))
                }
            }
        }
        let bytes = store.datasetFileBytes
        return Result(
            contentDigest: digest, failedRows: failed, firstFailedRow: firstFailed, fileBytes: bytes,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
