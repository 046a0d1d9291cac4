import Foundation
import NPEData

/// The on-disk layout of one dataset build, `datasets/NAME/`:
///
/// ```
/// datasets/NAME/dataset.h5            the merged dataset (appears last, atomically)
/// datasets/NAME/shards/manifest.json  the plan (DatasetBuildPlan), written before any shard
/// datasets/NAME/shards/shard-000042.h5  rows [42·S, 43·S): a complete training dataset of its own
/// ```
///
/// Each shard is written by ``TrainingDatasetWriter`` (temporary name, fsync, rename), so a shard file is complete
/// or absent; temporary `.shard-*.partial` files and a torn merge's `.dataset.h5.*.partial` left by a killed build
/// are deleted on resume. Shards carry their own
/// content digest, so a damaged one is detected before merging.
public struct DatasetShardStore: Sendable {
    /// `datasets/NAME`.
    public let directory: URL

    public init(directory: URL) { self.directory = directory.standardizedFileURL }

    /// `datasets/NAME/dataset.h5`.
    public var datasetURL: URL { directory.appendingPathComponent("dataset.h5") }
    /// The size of ``datasetURL`` in bytes, for a summary; 0 when the file cannot be read.
    var datasetFileBytes: Int {
        (try? FileManager.default.attributesOfItem(atPath: datasetURL.path)[.size] as? Int) ?? 0
    }
    /// `datasets/NAME/shards`.
    public var shardDirectory: URL { directory.appendingPathComponent("shards") }
    /// `datasets/NAME/shards/manifest.json`.
    public var manifestURL: URL { shardDirectory.appendingPathComponent("manifest.json") }

    /// `shards/shard-%06d.h5`.
    public func shardURL(_ index: Int) -> URL {
        shardDirectory.appendingPathComponent(String(format: "shard-%06d.h5", index))
    }

    /// Whether shard `index` has been published.
    public func hasShard(_ index: Int) -> Bool { FileManager.default.fileExists(atPath: shardURL(index).path) }

    /// Whether the directory holds anything at all (a fresh build refuses to write into it).
    public func directoryHasContents() -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return !entries.isEmpty
    }

    /// Deletes temporary files a killed build left behind (they are never complete, by construction): shard
    /// writers' `.shard-*.partial` in `shards/`, and a torn merge's `.dataset.h5.<hex>.partial` beside
    /// `dataset.h5`. Returns their names. Call it only when no build of this directory is running (on resume).
    @discardableResult
    public func removeAbandonedTemporaryFiles() -> [String] {
        var removed: [String] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: shardDirectory.path)) ?? []
        for name in names.sorted() where name.hasPrefix(".") && name.hasSuffix(".partial") {
            if (try? FileManager.default.removeItem(at: shardDirectory.appendingPathComponent(name))) != nil {
                removed.append(name)
            }
        }
        removed += (try? HDF5File.removeAbandonedTemporaryFiles(for: datasetURL)) ?? []
        return removed
    }

    /// Writes shard `index` atomically.
    func writeShard(_ index: Int, rows: TrainingRows, metadata: TrainingDatasetMetadata, chunkRows: Int) throws {
        let writer = try TrainingDatasetWriter(
            creatingAt: shardURL(index), metadata: metadata, storesFlags: true,
            chunkRows: chunkRows, replacingExisting: false)
        try writer.append(theta: rows.theta, x: rows.x, context: rows.context, flags: rows.flags)
        try writer.commit()
    }

    /// Opens shard `index` and checks that it is intact and belongs to `plan`: the file opens as a training dataset,
    /// holds exactly the shard's rows, was made with the plan's seed, simulator and prior, and its rows hash to the
    /// recorded digest.
    ///
    /// - Throws: ``DatasetBuildError/corruptShard(file:reason:)`` naming the file.
    func openVerifiedShard(_ index: Int, plan: DatasetBuildPlan) throws -> TrainingDatasetReader {
        let url = shardURL(index)
        func corrupt(_ reason: String) -> DatasetBuildError { .corruptShard(file: url.path, reason: reason) }
        let reader: TrainingDatasetReader
        do { reader = try TrainingDatasetReader(contentsOf: url) } catch { throw corrupt("\(error)") }
        let expectedRows = plan.rowRange(ofShard: index).count
        guard reader.rowCount == expectedRows else {
            throw corrupt("holds \(reader.rowCount) rows, the plan says \(expectedRows)")
        }
        guard reader.hasFlags else { throw corrupt("has no 'flags' dataset") }
        let metadata = reader.metadata
        let checks: [(String, String, String)] = [
            ("seed", String(metadata.seed), String(plan.seed)),
            ("simulator_name", metadata.simulatorName, plan.simulatorName),
            ("simulator_version", metadata.simulatorVersion, plan.simulatorVersion),
            ("prior", metadata.priorJSON, plan.priorJSON),
        ]
        for (field, found, expected) in checks where found != expected {
            throw corrupt("attribute '\(field)' is \(found), the plan says \(expected)")
        }
        do { try reader.verifyContentDigest() } catch { throw corrupt("\(error)") }
        return reader
    }

    /// Deletes the shards directory (after a successful merge).
    public func removeShards() throws {
        do { try FileManager.default.removeItem(at: shardDirectory) } catch {
            throw DatasetBuildError.cannotWrite(path: shardDirectory.path, reason: error.localizedDescription)
        }
    }
}
