import Foundation
import NPEChecksum

/// What makes two runs' outputs the same: the model (reference and weights digest), the catalogue (digest), S,
/// the seed, importance sampling on or off, the flag thresholds, the predictive check's settings and the format
/// version. Batch size and threads
/// are not part of it: they do not change the output.
///
/// Its ``digest`` keys the shard directory: `--resume` with other settings is refused instead of mixing runs.
public struct PosteriorRunIdentity: Codable, Equatable, Sendable {
    public var formatVersion: Int64
    public var modelReference: String
    public var modelWeightsSHA256: String
    public var catalogueSHA256: String
    public var targetCount: Int
    public var samplesPerTarget: Int
    public var seed: UInt64
    public var importanceSampling: Bool
    public var lowEfficiencyThreshold: Double
    public var minimumEffectiveSampleSize: Double
    public var zThreshold: Double
    public var predictiveDraws: Int
    public var predictiveReplicates: Int
    public var misfitThreshold: Double
    /// The pre-processing chain's record (absent without one, so earlier digests are unchanged).
    public var preprocessing: String?

    public init(job: InferenceJob) {
        formatVersion = PosteriorFileFormat.version
        modelReference = job.model.reference
        modelWeightsSHA256 = job.model.weightsSHA256
        catalogueSHA256 = job.catalogueSHA256
        targetCount = job.catalogue.targetCount
        samplesPerTarget = job.settings.samplesPerTarget
        seed = job.settings.seed
        importanceSampling = job.settings.importanceSampling
        lowEfficiencyThreshold = job.settings.lowEfficiencyThreshold
        minimumEffectiveSampleSize = job.settings.minimumEffectiveSampleSize
        zThreshold = job.settings.zThreshold
        predictiveDraws = job.settings.predictiveDraws
        predictiveReplicates = job.settings.predictiveReplicates
        misfitThreshold = job.settings.misfitThreshold
        preprocessing = job.model.preprocessing
    }

    /// Sorted-keys JSON, the manifest's content.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try! encoder.encode(self)  // plain numbers and strings: cannot fail
    }

    /// Lowercase hex SHA-256 of the compact sorted-keys JSON.
    public var digest: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SHA256.hexDigest(of: try! encoder.encode(self))
    }
}
