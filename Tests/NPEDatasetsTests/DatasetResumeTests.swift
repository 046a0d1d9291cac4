import Foundation
import NPEData
import NPESimulators
import Testing

@testable import NPEDatasets

/// Interrupted builds: an injected stop after a few shards, a torn temporary file, a damaged shard, a changed request.
struct DatasetResumeTests {
    private let problem = LinearGaussianProblem.standard()

    private func builder(_ directory: URL, seed: UInt64 = 3, rows: Int = 900) throws -> DatasetBuilder {
        try DatasetBuilder(
            source: problem.prior, simulator: problem, noiseModel: problem.noiseModel, rows: rows,
            seed: seed, directory: directory, shardRows: 100)
    }

    /// Stops the build after `shards` shards have been started (the continuation check runs once per shard).
    private func interruptedRun(_ directory: URL, afterShards shards: Int, threads: Int) throws {
        let counter = Counter()
        #expect(throws: DatasetBuildError.self) {
            try builder(directory).run(options: .init(threads: threads, shouldContinue: { counter.next() < shards }))
        }
    }

    @Test(arguments: [1, 2])
    func resumeAfterInterruptionEqualsAnUninterruptedRun(threads: Int) throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let straight = try #require(
            try builder(root.appendingPathComponent("straight")).run(options: .init(threads: 2)))

        let resumed = root.appendingPathComponent("resumed")
        try interruptedRun(resumed, afterShards: 4, threads: threads)
        let store = DatasetShardStore(directory: resumed)
        let published = (0..<9).filter(store.hasShard)
        #expect(published.count == 4)
        #expect(!FileManager.default.fileExists(atPath: store.datasetURL.path))
        // A torn write of the next shard, as a kill -9 mid-write leaves it: only ever a temporary name.
        try Data(repeating: 0xAB, count: 1234).write(
            to: store.shardDirectory.appendingPathComponent(".shard-000007.h5.1.partial"))

        let summary = try #require(try builder(resumed).run(options: .init(threads: threads, resume: true)))
        #expect(summary.shardsReused == 4)
        #expect(summary.shardsComputed == 5)
        #expect(summary.contentDigest == straight.contentDigest)
        #expect(try readAllRows(summary.datasetURL) == readAllRows(straight.datasetURL))
        // The resumed file records the time the build was planned, i.e. before the interruption.
        let metadata = try TrainingDatasetReader(contentsOf: summary.datasetURL).metadata
        #expect(metadata.createdAt <= Date())
        #expect(!FileManager.default.fileExists(atPath: store.shardDirectory.path))
    }

    @Test func aDamagedShardIsNamedAndNothingIsDeleted() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try interruptedRun(root, afterShards: 3, threads: 1)
        let store = DatasetShardStore(directory: root)
        let damaged = store.shardURL(1)
        var bytes = try Data(contentsOf: damaged)
        bytes = bytes.prefix(bytes.count / 2)  // truncated, as a disk fault might leave it
        try bytes.write(to: damaged)
        #expect {
            try builder(root).run(options: .init(threads: 1, resume: true))
        } throws: { error in
            guard case .corruptShard(let file, _) = error as? DatasetBuildError else { return false }
            return file == damaged.path
        }
        #expect(store.hasShard(0) && store.hasShard(1) && store.hasShard(2))
        // Following the message's advice (delete the file, resume) finishes the job with the right content.
        try FileManager.default.removeItem(at: damaged)
        let summary = try #require(try builder(root).run(options: .init(threads: 2, resume: true)))
        let straight = try #require(
            try builder(root.appendingPathComponent("straight")).run(options: .init(threads: 1)))
        #expect(summary.contentDigest == straight.contentDigest)
    }

    @Test func aShardFromAnotherSeedIsRejected() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try interruptedRun(root, afterShards: 2, threads: 1)
        // Swap in shard 0 of a build with the same settings but another seed: a well-formed file of the wrong rows.
        try builder(root.appendingPathComponent("seed9"), seed: 9).run(options: .init(threads: 1, keepShards: true))
        let store = DatasetShardStore(directory: root)
        try FileManager.default.removeItem(at: store.shardURL(0))
        try FileManager.default.copyItem(
            at: DatasetShardStore(directory: root.appendingPathComponent("seed9")).shardURL(0),
            to: store.shardURL(0))
        #expect {
            try builder(root).run(options: .init(threads: 1, resume: true))
        } throws: { error in
            "\(error)".contains(store.shardURL(0).path) && "\(error)".contains("seed")
        }
    }

    @Test func aChangedRequestNamesTheField() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try interruptedRun(root, afterShards: 2, threads: 1)
        let manifest = DatasetShardStore(directory: root).manifestURL.path
        #expect(throws: DatasetBuildError.planMismatch(file: manifest, field: "seed", saved: "3", requested: "4")) {
            try builder(root, seed: 4).run(options: .init(threads: 1, resume: true))
        }
        #expect(throws: DatasetBuildError.planMismatch(file: manifest, field: "rows", saved: "900", requested: "1000"))
        {
            try builder(root, rows: 1000).run(options: .init(threads: 1, resume: true))
        }
    }
}

/// A thread-safe counter for the continuation check.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.withLock {
            defer { value += 1 }
            return value
        }
    }
}
