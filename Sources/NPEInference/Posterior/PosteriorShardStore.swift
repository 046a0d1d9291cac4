import Foundation

/// The directory `OUT.parts/` where a run keeps finished batches until the final file is assembled.
///
/// - `run.json`: the ``PosteriorRunIdentity``, written first; a resume compares its digest and refuses another run's
///   shards.
/// - `targets-<first>-<end>.h5`: one per finished batch (targets first..<end), complete or absent: each is written
///   under a temporary name, fsynced and renamed. A process killed mid-batch leaves only a `.partial` file, which
///   a resume deletes.
struct PosteriorShardStore {
    let directory: URL
    let identity: PosteriorRunIdentity
    let digest: String
    static let manifestName = "run.json"

    init(output: URL, identity: PosteriorRunIdentity) {
        directory = URL(fileURLWithPath: output.standardizedFileURL.path + ".parts", isDirectory: true)
        self.identity = identity
        digest = identity.digest
    }

    /// Creates the directory (fresh run) or checks it (resume) and returns the target ranges already done.
    func prepare(resume: Bool) throws -> [Range<Int>] {
        let manager = FileManager.default
        let manifest = directory.appendingPathComponent(Self.manifestName)
        if manager.fileExists(atPath: directory.path) {
            guard resume else {
                throw InferenceError.output(path: directory.path, reason: "an earlier run left its shards here: pass --resume to continue it, or delete the directory")
            }
            guard let data = manager.contents(atPath: manifest.path),
                  let found = try? JSONDecoder().decode(PosteriorRunIdentity.self, from: data) else {
                throw InferenceError.output(path: manifest.path, reason: "missing or unreadable run manifest; delete \(directory.path) to start over")
            }
            guard found.digest == digest else {
                throw InferenceError.resumeMismatch(directory: directory.path, expected: digest, found: found.digest)
            }
            for name in try manager.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".partial") {
                try manager.removeItem(at: directory.appendingPathComponent(name))
            }
            return try finishedRanges()
        }
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: false)
        } catch {
            throw InferenceError.output(path: directory.path, reason: "cannot create the shard directory: \(error.localizedDescription)")
        }
        try OutputFile.write(identity.json(), to: manifest)
        return []
    }

    /// Ranges of the shards on disk, sorted; overlapping shards are an error (never written by one run).
    func finishedRanges() throws -> [Range<Int>] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let ranges = names.compactMap(Self.range(ofShardNamed:)).sorted { $0.lowerBound < $1.lowerBound }
        for (a, b) in zip(ranges, ranges.dropFirst()) where a.upperBound > b.lowerBound {
            throw InferenceError.output(path: directory.path, reason: "shards \(a) and \(b) overlap")
        }
        if let last = ranges.last, last.upperBound > identity.targetCount {
            throw InferenceError.output(path: directory.path, reason: "shard \(last) lies beyond the catalogue's \(identity.targetCount) targets")
        }
        return ranges
    }

    func url(of range: Range<Int>) -> URL {
        directory.appendingPathComponent(String(format: "targets-%08d-%08d.h5", range.lowerBound, range.upperBound))
    }

    static func range(ofShardNamed name: String) -> Range<Int>? {
        guard name.hasPrefix("targets-"), name.hasSuffix(".h5") else { return nil }
        let parts = name.dropFirst("targets-".count).dropLast(3).split(separator: "-")
        guard parts.count == 2, let first = Int(parts[0]), let end = Int(parts[1]), first < end else { return nil }
        return first..<end
    }

    func write(_ shard: PosteriorShard, samplesPerTarget: Int, parameters: Int) throws {
        try shard.write(to: url(of: shard.targets), samplesPerTarget: samplesPerTarget, parameters: parameters, runDigest: digest)
    }

    func read(_ range: Range<Int>) throws -> PosteriorShard {
        try PosteriorShard.read(from: url(of: range), targets: range, runDigest: digest)
    }

    /// Deletes the directory once the final file is published.
    func remove() throws {
        do { try FileManager.default.removeItem(at: directory) } catch {
            throw InferenceError.output(path: directory.path, reason: "cannot remove the shard directory: \(error.localizedDescription)")
        }
    }

    /// The targets not covered by `done`, cut into batches of at most `size` contiguous targets.
    static func pendingBatches(total: Int, done: [Range<Int>], size: Int) -> [Range<Int>] {
        var gaps: [Range<Int>] = []
        var cursor = 0
        for range in done {
            if range.lowerBound > cursor { gaps.append(cursor..<range.lowerBound) }
            cursor = max(cursor, range.upperBound)
        }
        if cursor < total { gaps.append(cursor..<total) }
        return gaps.flatMap { gap in stride(from: gap.lowerBound, to: gap.upperBound, by: size).map { $0..<min($0 + size, gap.upperBound) } }
    }
}
