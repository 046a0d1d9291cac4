import Foundation
import NPEData

/// Assembles the final posterior file from a run's shards: fixed-size datasets, chunked with shuffle + LZ4, filled
/// shard by shard (one shard in memory at a time), then the attributes; published atomically by
/// ``HDF5File/commit()`` (temporary name, fsync, rename). The layout is `docs/posterior-format.md`.
enum PosteriorFileWriter {
    typealias Name = PosteriorFileFormat.Dataset
    typealias Key = PosteriorFileFormat.Attribute

    /// - Parameter runSeconds: wall seconds of the run that assembles the file, recorded as `run_seconds`.
    static func assemble(job: InferenceJob, store: PosteriorShardStore, shards: [Range<Int>], output: URL,
                         runSeconds: Double? = nil) throws {
        let t = job.catalogue.targetCount, s = job.settings.samplesPerTarget, d = job.parameterCount
        let importance = job.settings.importanceSampling
        let file = try HDF5File.create(at: output, replacingExisting: false)
        let root = try file.root()
        func dataset<T: HDF5Element>(_ name: Name, _ type: T.Type, _ shape: [Int]) throws -> HDF5Dataset {
            try root.createDataset(name.rawValue, of: type, shape: shape,
                                   options: HDF5DatasetOptions(extendable: false, compression: .shuffleLZ4))
        }
        let samples = try dataset(.samples, Float.self, [t, s, d])
        let logProposal = try dataset(.logProposal, Float.self, [t, s])
        let logWeights = importance ? try dataset(.logWeights, Float.self, [t, s]) : nil
        let ess = importance ? try dataset(.effectiveSampleSize, Double.self, [t]) : nil
        let efficiency = importance ? try dataset(.efficiency, Double.self, [t]) : nil
        let logEvidence = importance ? try dataset(.logEvidence, Double.self, [t]) : nil
        let summary = try dataset(.summary, Double.self, [t, d, 7])
        let flags = try dataset(.flags, UInt32.self, [t])
        let m = job.catalogue.binCount
        let predictive = job.settings.predictiveCheck
            ? try PredictiveRows.Output(in: root, targets: t, draws: job.settings.predictiveDraws, bins: m) : nil
        var reasons = [String](repeating: "", count: t)
        for range in shards {
            let shard = try store.read(range)
            let first = range.lowerBound
            try samples.writeRows(shard.samples, startingAt: first)
            try logProposal.writeRows(shard.logProposal, startingAt: first)
            if let logWeights, let values = shard.logWeights { try logWeights.writeRows(values, startingAt: first) }
            try ess?.writeRows(shard.effectiveSampleSize, startingAt: first)
            try efficiency?.writeRows(shard.efficiency, startingAt: first)
            try logEvidence?.writeRows(shard.logEvidence, startingAt: first)
            try summary.writeRows(shard.summary, startingAt: first)
            try flags.writeRows(shard.flags, startingAt: first)
            reasons.replaceSubrange(range, with: shard.reasons)
            if let predictive {
                guard let rows = shard.predictive else {
                    throw InferenceError.output(path: store.url(of: range).path, reason: "the shard has no posterior predictive check, the run asks for one")
                }
                try predictive.write(rows, startingAt: first)
            }
        }
        try writeData(job: job, to: root)
        try root.createDataset(Name.flagReasons.rawValue, strings: reasons)
        try root.createDataset(Name.id.rawValue, strings: job.catalogue.ids)
        if let truths = job.catalogue.thetaTrue {
            try root.createDataset(Name.thetaTrue.rawValue, values: truths, shape: [t, d], compression: .shuffleLZ4)
        }
        try writeAttributes(job: job, digest: store.digest, runSeconds: runSeconds, to: root.attributes)
        try file.commit()
    }

    /// The observed data (version 2): x, σ where known, the grid where known.
    static func writeData(job: InferenceJob, to root: HDF5Group) throws {
        let catalogue = job.catalogue, t = catalogue.targetCount, m = catalogue.binCount
        try root.createDataset(Name.x.rawValue, values: catalogue.x, shape: [t, m], compression: .shuffleLZ4)
        if catalogue.sigma != nil || job.model.defaultSigma != nil {
            let sigma = (0..<t).flatMap { job.sigma(ofTarget: $0).map(Array.init) ?? [Double](repeating: .nan, count: m) }
            try root.createDataset(Name.sigma.rawValue, values: sigma, shape: [t, m], compression: .shuffleLZ4)
        }
        if let wavelengths = catalogue.wavelengths ?? job.model.wavelengths {
            try root.createDataset(Name.wavelength.rawValue, values: wavelengths)
        }
    }

    static func writeAttributes(job: InferenceJob, digest: String, runSeconds: Double? = nil, to attributes: HDF5Attributes) throws {
        func json<T: Encodable>(_ value: T) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return String(decoding: try! encoder.encode(value), as: UTF8.self)
        }
        let bits = Dictionary(uniqueKeysWithValues: TargetHealth.all.map { (String($0.flag.rawValue.trailingZeroBitCount), $0.name) })
        let values: [(Key, HDF5AttributeValue)] = [
            (.format, .string(PosteriorFileFormat.formatName)),
            (.formatVersion, .int64(PosteriorFileFormat.version)),
            (.parameterNames, .string(json(job.model.parameterNames))),
            (.parameterUnits, .string(json(job.model.parameterUnits))),
            (.summaryStatistics, .string(json(PosteriorFileFormat.summaryStatistics))),
            (.summaryWeighting, .string(job.settings.importanceSampling ? "importance_weighted" : "unweighted")),
            (.modelReference, .string(job.model.reference)),
            (.modelWeightsSHA256, .string(job.model.weightsSHA256)),
            (.modelKind, .string(job.model.kind)),
            (.cataloguePath, .string(job.catalogue.source)),
            (.catalogueSHA256, .string(job.catalogueSHA256)),
            (.seed, .uint64(job.settings.seed)),
            (.samplesPerTarget, .int64(Int64(job.settings.samplesPerTarget))),
            (.importanceSampling, .int64(job.settings.importanceSampling ? 1 : 0)),
            (.runDigest, .string(digest)),
            (.flagBits, .string(json(bits))),
            (.toolVersion, .string(PosteriorFileFormat.toolVersion)),
        ]
        for (key, value) in values { try attributes.set(key.rawValue, to: value) }
        if let card = job.model.cardSHA256 { try attributes.set(Key.modelCardSHA256.rawValue, to: .string(card)) }
        if let chain = job.model.preprocessing { try attributes.set(Key.preprocessing.rawValue, to: .string(chain)) }
        if let runSeconds { try attributes.set(Key.runSeconds.rawValue, to: .double(runSeconds)) }
        if job.settings.predictiveCheck {
            let predictive: [(Key, HDF5AttributeValue)] = [
                (.predictiveDraws, .int64(Int64(job.settings.predictiveDraws))),
                (.predictiveReplicates, .int64(Int64(job.settings.predictiveReplicates))),
                (.misfitThreshold, .double(job.settings.misfitThreshold)),
                (.predictiveBandQuantiles, .string(json(PosteriorPredictiveCheck.bandQuantiles))),
                (.predictiveDrawWeighting, .string(job.settings.importanceSampling ? "importance_resampled" : "proposal")),
            ]
            for (key, value) in predictive { try attributes.set(key.rawValue, to: value) }
        }
    }
}
