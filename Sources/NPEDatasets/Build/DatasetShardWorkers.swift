import Foundation
import NPEData

/// Worker threads that generate and publish a list of shards.
///
/// Workers take the next shard from a shared queue, so fast and slow shards balance out; which thread makes a shard
/// never changes its bytes. The first error stops the queue (workers finish the shard in hand) and is rethrown.
final class DatasetShardWorkers: @unchecked Sendable {
    private let generator: DatasetRowGenerator
    private let plan: DatasetBuildPlan
    private let store: DatasetShardStore
    private let metadata: TrainingDatasetMetadata
    private let lock = NSLock()
    // Guarded by `lock`.
    private var queue: ArraySlice<Int>
    private var rowsDone = 0
    /// Rows simulated so far in each shard still in hand, so progress moves within a shard, not a shard at a time.
    private var rowsInFlight: [Int: Int] = [:]
    private var rowsFailed = 0
    private var shardsDone = 0
    private var error: Error?
    private var stopped = false
    private var firstSimulatorError: String?
    private var firstErrorShard = Int.max
    private var simulating = 0.0
    private var storing = 0.0

    init(
        generator: DatasetRowGenerator, plan: DatasetBuildPlan, store: DatasetShardStore,
        metadata: TrainingDatasetMetadata, shards: [Int]
    ) {
        self.generator = generator
        self.plan = plan
        self.store = store
        self.metadata = metadata
        queue = shards[...]
    }

    /// Whether the continuation check stopped the queue.
    var wasInterrupted: Bool { lock.withLock { stopped } }
    /// Shards this run published.
    var completedShards: Int { lock.withLock { shardsDone } }
    /// The first simulator error message, if any simulation threw.
    var firstError: String? { lock.withLock { firstSimulatorError } }
    /// Thread-seconds spent simulating, and writing shards (HDF5, shuffle, LZ4, fsync), summed over workers.
    var threadSeconds: (simulating: Double, storing: Double) { lock.withLock { (simulating, storing) } }

    /// Runs `threads` workers to completion, calling `report(rowsDone, rowsFailed, seconds)` on this thread every
    /// `interval` seconds and once at the end.
    func run(
        threads: Int, interval: Double, shouldContinue: @escaping @Sendable () -> Bool,
        report: (Int, Int, Double) -> Void
    ) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let finished = DispatchGroup()
        for _ in 0..<min(threads, max(queue.count, 1)) {
            finished.enter()
            let thread = Thread { [self] in
                work(shouldContinue: shouldContinue)
                finished.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        while finished.wait(timeout: .now() + interval) == .timedOut {
            let (done, failed) = lock.withLock { (rowsDone + rowsInFlight.values.reduce(0, +), rowsFailed) }
            report(done, failed, seconds())
        }
        let (done, failed, failure) = lock.withLock { (rowsDone, rowsFailed, error) }
        report(done, failed, seconds())
        if let failure { throw failure }
    }

    private func next(shouldContinue: () -> Bool) -> Int? {
        lock.withLock {
            guard error == nil, !stopped, let index = queue.first else { return nil }
            if !shouldContinue() {
                stopped = true
                return nil
            }
            queue = queue.dropFirst()
            return index
        }
    }

    private func work(shouldContinue: () -> Bool) {
        while let index = next(shouldContinue: shouldContinue) {
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                let block = try generator.generate(rows: plan.rowRange(ofShard: index)) { [self] done in
                    lock.withLock { rowsInFlight[index] = done }
                }
                let simulated = DispatchTime.now().uptimeNanoseconds
                try store.writeShard(index, rows: block.rows, metadata: metadata, chunkRows: min(plan.chunkRows, plan.shardRows))
                let stored = DispatchTime.now().uptimeNanoseconds
                lock.withLock {
                    simulating += Double(simulated - start) / 1e9
                    storing += Double(stored - simulated) / 1e9
                    rowsInFlight[index] = nil
                    rowsDone += block.rows.count
                    rowsFailed += block.failureCount
                    shardsDone += 1
                    // The lowest shard's error, not the first to finish: the message then names the run's first
                    // failed row, whatever the thread count or timing.
                    if let message = block.firstError, index < firstErrorShard {
                        firstSimulatorError = message
                        firstErrorShard = index
                    }
                }
            } catch {
                lock.withLock { if self.error == nil { self.error = error } }
            }
        }
    }
}
