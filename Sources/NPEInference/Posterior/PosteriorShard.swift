import Foundation
import NPEData

/// The posteriors of a contiguous range of targets, as one shard file holds them (row-major, rows = targets).
struct PosteriorShard {
    var targets: Range<Int>
    var samples: [Float]         // [n, S, D]
    var logProposal: [Float]     // [n, S]
    var logWeights: [Float]?     // [n, S]
    var effectiveSampleSize: [Double]
    var efficiency: [Double]
    var logEvidence: [Double]
    var summary: [Double]        // [n, D, 7]
    var flags: [UInt32]
    var reasons: [String]
    var predictive: PredictiveRows?

    init(targets: Range<Int>, posteriors: [TargetPosterior], predictiveDraws: Int = 0, bins: Int = 0) {
        self.targets = targets
        samples = posteriors.flatMap(\.samples)
        logProposal = posteriors.flatMap(\.logProposal)
        logWeights = posteriors.first?.logWeights == nil ? nil : posteriors.flatMap { $0.logWeights! }
        effectiveSampleSize = posteriors.map(\.effectiveSampleSize)
        efficiency = posteriors.map(\.efficiency)
        logEvidence = posteriors.map(\.logEvidence)
        summary = posteriors.flatMap(\.summary)
        flags = posteriors.map(\.flags.rawValue)
        reasons = posteriors.map { $0.reasons.joined(separator: "; ") }
        let checks = posteriors.compactMap(\.predictive)
        predictive = checks.count == posteriors.count && !checks.isEmpty ? PredictiveRows(checks, draws: predictiveDraws, bins: bins) : nil
    }

    private init(targets: Range<Int>, samples: [Float], logProposal: [Float], logWeights: [Float]?, effectiveSampleSize: [Double],
                 efficiency: [Double], logEvidence: [Double], summary: [Double], flags: [UInt32], reasons: [String],
                 predictive: PredictiveRows?) {
        self.targets = targets
        self.samples = samples
        self.logProposal = logProposal
        self.logWeights = logWeights
        self.effectiveSampleSize = effectiveSampleSize
        self.efficiency = efficiency
        self.logEvidence = logEvidence
        self.summary = summary
        self.flags = flags
        self.reasons = reasons
        self.predictive = predictive
    }

    typealias Name = PosteriorFileFormat.Dataset

    /// Writes the shard atomically (HDF5File: temporary name, fsync, rename), uncompressed: it lives only until
    /// the final file is assembled.
    func write(to url: URL, samplesPerTarget s: Int, parameters d: Int, runDigest: String) throws {
        let n = targets.count
        let file = try HDF5File.create(at: url)
        let root = try file.root()
        try root.createDataset(Name.samples.rawValue, values: samples, shape: [n, s, d])
        try root.createDataset(Name.logProposal.rawValue, values: logProposal, shape: [n, s])
        if let logWeights { try root.createDataset(Name.logWeights.rawValue, values: logWeights, shape: [n, s]) }
        try root.createDataset(Name.effectiveSampleSize.rawValue, values: effectiveSampleSize)
        try root.createDataset(Name.efficiency.rawValue, values: efficiency)
        try root.createDataset(Name.logEvidence.rawValue, values: logEvidence)
        try root.createDataset(Name.summary.rawValue, values: summary, shape: [n, d, 7])
        try root.createDataset(Name.flags.rawValue, values: flags)
        try root.createDataset(Name.flagReasons.rawValue, strings: reasons)
        try predictive?.create(in: root)
        try root.attributes.set(PosteriorFileFormat.Attribute.runDigest.rawValue, to: .string(runDigest))
        try root.attributes.set("first_target", to: .int64(Int64(targets.lowerBound)))
        try file.commit()
    }

    /// Reads a shard written by ``write(to:samplesPerTarget:parameters:runDigest:)`` for `targets`.
    static func read(from url: URL, targets: Range<Int>, runDigest: String) throws -> PosteriorShard {
        let file = try HDF5File.open(at: url)
        defer { try? file.close() }
        let root = try file.root()
        let found = try root.attributes.string(PosteriorFileFormat.Attribute.runDigest.rawValue)
        guard found == runDigest else {
            throw InferenceError.resumeMismatch(directory: url.path, expected: runDigest, found: found)
        }
        func floats(_ name: Name) throws -> [Float] { try root.openDataset(name.rawValue).readAll(as: Float.self) }
        func doubles(_ name: Name) throws -> [Double] { try root.openDataset(name.rawValue).readAll(as: Double.self) }
        let shard = PosteriorShard(
            targets: targets, samples: try floats(.samples), logProposal: try floats(.logProposal),
            logWeights: try root.contains(Name.logWeights.rawValue) ? try floats(.logWeights) : nil,
            effectiveSampleSize: try doubles(.effectiveSampleSize), efficiency: try doubles(.efficiency),
            logEvidence: try doubles(.logEvidence), summary: try doubles(.summary),
            flags: try root.openDataset(Name.flags.rawValue).readAll(as: UInt32.self),
            reasons: try root.openDataset(Name.flagReasons.rawValue).readStrings(),
            predictive: try PredictiveRows.read(from: root, path: url.path))
        guard shard.flags.count == targets.count, shard.reasons.count == targets.count else {
            throw InferenceError.output(path: url.path, reason: "shard holds \(shard.flags.count) targets, its name says \(targets.count)")
        }
        return shard
    }
}
