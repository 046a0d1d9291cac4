import Foundation
import NPEData
import NPEParallel
import NPESimulators

/// Builds `datasets/NAME/dataset.h5` from a simulator and a parameter source (a prior, or a sequential round's
/// proposal): in parallel, deterministically, resumably.
///
/// 1. Rank 0 writes the plan (`shards/manifest.json`), or on resume checks the saved plan against this request
///    and every existing shard's integrity.
/// 2. Every rank runs ``DatasetBuildOptions/threads`` workers over the missing shards it owns (shard k belongs to
///    rank k mod size). A worker generates its shard's rows (``DatasetRowGenerator``) and publishes the shard
///    atomically; memory per worker is one shard, whatever N.
/// 3. After a barrier, rank 0 merges the shards in order into `dataset.h5` (verifying each shard's digest),
///    publishes it atomically, and deletes `shards/` unless asked to keep it.
///
/// Row i depends only on (seed, i), and the merge is in row order, so the dataset's content digest is the same for
/// any thread count, rank count, or pattern of interruptions and resumes.
public final class DatasetBuilder {
    /// Makes the rows.
    public let generator: DatasetRowGenerator
    /// What will be built (saved as the manifest).
    public let plan: DatasetBuildPlan
    /// Where: `datasets/NAME` and its shards.
    public let store: DatasetShardStore

    /// Prepares a build of `rows` rows into `directory` (`datasets/NAME`).
    ///
    /// - Throws: ``PriorError`` when the source's prior lacks a simulator input; ``DatasetBuildError`` for bad sizes.
    public init(
        source: any ParameterSource, simulator: any Simulator, noiseModel: NoiseModel, rows: Int, seed: UInt64,
        directory: URL, shardRows: Int? = nil
    ) throws {
        generator = try DatasetRowGenerator(source: source, simulator: simulator, seed: seed)
        plan = try DatasetBuildPlan(
            source: source, simulator: simulator, noiseModel: noiseModel, rows: rows, seed: seed,
            shardRows: shardRows)
        store = DatasetShardStore(directory: directory)
    }

    /// Runs (or resumes) the build. Returns the summary on rank 0 and nil on other ranks.
    ///
    /// - Parameter progress: called on this thread about every ``DatasetBuildOptions/progressInterval`` seconds.
    /// - Throws: ``DatasetBuildError`` (existing output without resume, plan mismatch, corrupt shard, interruption),
    ///   or the storage error of a failed write. Published shards are never deleted by a failure.
    @discardableResult
    public func run(
        options: DatasetBuildOptions = DatasetBuildOptions(),
        communicator: Communicator = LocalCommunicator(),
        progress: ((DatasetBuildProgress) -> Void)? = nil
    ) throws -> DatasetBuildSummary? {
        guard options.threads >= 1 else {
            throw DatasetBuildError.invalidArgument(field: "threads", reason: "\(options.threads) is not positive")
        }
        let start = Date()
        // Rank 0 prepares; the outcome is broadcast so no rank waits at a barrier that rank 0 will never reach.
        var outcome: Result<Bool, Error> = .success(false)
        if communicator.isRoot { outcome = Result { try prepare(resume: options.resume) } }
        var status: Int64 = 0
        if case .success(let finished) = outcome { status = finished ? 1 : 0 } else { status = -1 }
        try withUnsafeMutableBytes(of: &status) { try communicator.broadcast($0, root: 0) }
        if case .failure(let error) = outcome { throw error }
        guard status >= 0 else {
            throw DatasetBuildError.invalidPlan(
                file: store.manifestURL.path, reason: "rank 0 failed to prepare the build")
        }
        if status == 1 {
            return communicator.isRoot ? try summarizeExisting(start: start, keepShards: options.keepShards) : nil
        }
        if !communicator.isRoot {
            try DatasetBuildPlan(contentsOf: store.manifestURL).requireSameRequest(
                as: plan, file: store.manifestURL.path)
        }

        let owned = (0..<plan.shardCount).filter { $0 % communicator.size == communicator.rank }
        let missing = owned.filter { !store.hasShard($0) }
        let reusedRows = owned.filter { store.hasShard($0) }.reduce(0) { $0 + plan.rowRange(ofShard: $1).count }
        let workers = DatasetShardWorkers(
            generator: generator, plan: plan, store: store,
            metadata: generator.metadata(for: plan), shards: missing)
        try workers.run(
            threads: options.threads, interval: options.progressInterval,
            shouldContinue: options.shouldContinue
        ) { done, failed, seconds in
            progress?(
                DatasetBuildProgress(
                    phase: .simulating, completedRows: reusedRows + done,
                    totalRows: owned.reduce(0) { $0 + plan.rowRange(ofShard: $1).count }, failedRows: failed,
                    elapsedSeconds: seconds, rowsPerSecond: seconds > 0 ? Double(done) / seconds : 0))
        }
        // Totals over ranks (in rank order, so deterministic): shards computed, thread-seconds simulating and storing.
        let threadSeconds = workers.threadSeconds
        var totals = [Double(workers.completedShards), threadSeconds.simulating, threadSeconds.storing]
        try communicator.allReduceSum(&totals)
        var completed = Int64((0..<plan.shardCount).filter { store.hasShard($0) }.count)
        try withUnsafeMutableBytes(of: &completed) { try communicator.broadcast($0, root: 0) }
        if workers.wasInterrupted || completed < plan.shardCount {
            throw DatasetBuildError.interrupted(completedShards: Int(completed), totalShards: plan.shardCount)
        }
        guard communicator.isRoot else {
            try communicator.barrier()
            return nil
        }
        let merged = try DatasetShardMerger(plan: plan, store: store, metadata: generator.metadata(for: plan))
            .merge(interval: options.progressInterval, progress: progress)
        if !options.keepShards { try store.removeShards() }
        try communicator.barrier()
        var summary = DatasetBuildSummary(
            datasetURL: store.datasetURL, rows: plan.rows, failedRows: merged.failedRows,
            firstFailedRow: merged.firstFailedRow, firstError: workers.firstError, fileBytes: merged.fileBytes,
            uncompressedBytes: uncompressedBytes, shardsComputed: Int(totals[0]),
            shardsReused: plan.shardCount - Int(totals[0]), contentDigest: merged.contentDigest,
            seconds: Date().timeIntervalSince(start))
        summary.simulationSeconds = totals[1]
        summary.storageSeconds = totals[2] + merged.seconds
        return summary
    }

    /// Raw size of the row data: 4 bytes per theta, x and context value plus the flag byte.
    private var uncompressedBytes: Int {
        plan.rows * (4 * (generator.thetaCount + generator.outputCount + generator.contextCount) + 1)
    }

    /// Creates the layout and plan, or checks them on resume. Returns true when `dataset.h5` is already complete.
    private func prepare(resume: Bool) throws -> Bool {
        let manifestPath = store.manifestURL.path
        let hasManifest = FileManager.default.fileExists(atPath: manifestPath)
        let hasDataset = FileManager.default.fileExists(atPath: store.datasetURL.path)
        guard resume else {
            if hasDataset || hasManifest || store.directoryHasContents() {
                throw DatasetBuildError.outputExists(path: store.directory.path)
            }
            try AtomicFileWriting.makeDirectory(store.shardDirectory)
            try plan.write(to: store.manifestURL)
            return false
        }
        if hasDataset && !hasManifest {
            store.removeAbandonedTemporaryFiles()
            return true
        }
        guard hasManifest else { throw DatasetBuildError.nothingToResume(path: store.directory.path) }
        try DatasetBuildPlan(contentsOf: store.manifestURL).requireSameRequest(as: plan, file: manifestPath)
        // Before anything else writes here: a killed shard writer's or merge's temporary file is never complete.
        store.removeAbandonedTemporaryFiles()
        if hasDataset { return true }  // killed between publishing dataset.h5 and deleting the shards
        for index in 0..<plan.shardCount where store.hasShard(index) {
            try store.openVerifiedShard(index, plan: plan).close()
        }
        return false
    }

    /// The summary of a dataset that an earlier run already published; removes leftover shards.
    private func summarizeExisting(start: Date, keepShards: Bool) throws -> DatasetBuildSummary {
        let reader = try TrainingDatasetReader(contentsOf: store.datasetURL)
        defer { try? reader.close() }
        guard reader.rowCount == plan.rows, reader.metadata.seed == plan.seed else {
            throw DatasetBuildError.planMismatch(
                file: store.datasetURL.path, field: "row_count/seed",
                saved: "\(reader.rowCount)/\(reader.metadata.seed)",
                requested: "\(plan.rows)/\(plan.seed)")
        }
        var failed = 0
        var firstFailed: Int?
        for chunk in 0..<reader.chunkCount {
            let rows = try reader.readChunk(chunk)
            for (offset, flag) in (rows.flags ?? []).enumerated() where flag != 0 {
                failed += 1
                if firstFailed == nil { firstFailed = rows.rows.lowerBound + offset }
            }
        }
        if !keepShards && FileManager.default.fileExists(atPath: store.shardDirectory.path) { try store.removeShards() }
        let bytes = store.datasetFileBytes
        return DatasetBuildSummary(
            datasetURL: store.datasetURL, rows: reader.rowCount, failedRows: failed, firstFailedRow: firstFailed,
            firstError: nil, fileBytes: bytes, uncompressedBytes: uncompressedBytes, shardsComputed: 0,
            shardsReused: plan.shardCount, contentDigest: reader.contentDigest, seconds: Date().timeIntervalSince(start)
        )
    }
}
