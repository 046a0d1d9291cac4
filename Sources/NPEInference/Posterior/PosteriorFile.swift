import Foundation
import NPEData

/// A posterior file read back (`docs/posterior-format.md`, versions 1 and 2): for tests, `npe-validate`, the summary
/// CSV and `npe-report`.
///
/// The samples are the large part (T·S·D floats); ``read(from:includingSamples:)`` can leave them, `log_q` and
/// `log_weights` out.
public struct PosteriorFile: Sendable, Equatable {
    public var parameterNames: [String]
    public var parameterUnits: [String]
    public var ids: [String]
    public var samplesPerTarget: Int
    public var seed: UInt64
    public var importanceSampling: Bool
    public var modelReference: String
    public var modelWeightsSHA256: String
    public var catalogueSHA256: String
    public var runDigest: String
    /// `[T, S, D]`, `[T, S]`, `[T, S]` (empty when not read or absent).
    public var samples: [Float]
    public var logProposal: [Float]
    public var logWeights: [Float]?
    /// `[T]` each, importance sampling only.
    public var effectiveSampleSize: [Double]?
    public var efficiency: [Double]?
    public var logEvidence: [Double]?
    /// `[T, D, 7]`.
    public var summary: [Double]
    public var flags: [TargetHealth]
    public var flagReasons: [String]
    /// `[T, D]`, when the catalogue had truths.
    public var thetaTrue: [Double]?
    /// The file's `format_version` (1 or 2).
    public var formatVersion: Int64
    /// `model_kind`, `catalogue_path` and `tool_version` as recorded.
    public var modelKind: String
    public var cataloguePath: String
    public var toolVersion: String
    /// `[T, M]` observed spectra and the σ used, `[M]` bin centres (µm): version 2 (σ and the grid when known).
    public var x: [Double]?
    public var sigma: [Double]?
    public var wavelengths: [Double]?
    /// The posterior predictive checks, when they ran (version 2), with their settings.
    public var predictive: PredictiveRows?
    public var predictiveReplicates: Int?
    public var misfitThreshold: Double?
    /// `importance_resampled` or `proposal`: how the predictive draws were chosen.
    public var predictiveDrawWeighting: String?
    /// SHA-256 of the model's `card.json` and the wall seconds of the run that wrote the file (the last one, when
    /// it was resumed), when recorded.
    public var modelCardSHA256: String?
    public var runSeconds: Double?

    public var targetCount: Int { ids.count }
    /// M, when the file stores the data.
    public var binCount: Int? { x.map { $0.count / max(ids.count, 1) } }

    /// Reads and checks `format` and `format_version`.
    public static func read(from url: URL, includingSamples: Bool = true) throws -> PosteriorFile {
        let file = try HDF5File.open(at: url)
        defer { try? file.close() }
        let root = try file.root()
        let attributes = root.attributes
        typealias Key = PosteriorFileFormat.Attribute
        typealias Name = PosteriorFileFormat.Dataset
        let format = try attributes.string(Key.format.rawValue)
        let version = try attributes.int64(Key.formatVersion.rawValue)
        let readable = PosteriorFileFormat.readableVersions
        guard format == PosteriorFileFormat.formatName, readable.contains(version) else {
            throw InferenceError.output(
                path: url.path,
                reason: "format '\(format)' version \(version); this reader reads \(PosteriorFileFormat.formatName) versions \(readable.lowerBound) to \(readable.upperBound) (a newer ExoNPE wrote it, or it is not a posterior file)")
        }
        func names(_ key: Key) throws -> [String] {
            let text = try attributes.string(key.rawValue)
            guard let list = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
                throw InferenceError.output(path: url.path, reason: "attribute \(key.rawValue) is not a JSON array of strings")
            }
            return list
        }
        func optional<T: HDF5Element>(_ name: Name, _ type: T.Type) throws -> [T]? {
            try root.contains(name.rawValue) ? try root.openDataset(name.rawValue).readAll(as: type) : nil
        }
        let importance = try attributes.int64(Key.importanceSampling.rawValue) == 1
        let predictive = try PredictiveRows.read(from: root, path: url.path)
        func optionalString(_ key: Key) throws -> String? { try attributes.contains(key.rawValue) ? try attributes.string(key.rawValue) : nil }
        return PosteriorFile(
            parameterNames: try names(.parameterNames), parameterUnits: try names(.parameterUnits),
            ids: try root.openDataset(Name.id.rawValue).readStrings(),
            samplesPerTarget: Int(try attributes.int64(Key.samplesPerTarget.rawValue)),
            seed: try attributes.uint64(Key.seed.rawValue), importanceSampling: importance,
            modelReference: try attributes.string(Key.modelReference.rawValue),
            modelWeightsSHA256: try attributes.string(Key.modelWeightsSHA256.rawValue),
            catalogueSHA256: try attributes.string(Key.catalogueSHA256.rawValue),
            runDigest: try attributes.string(Key.runDigest.rawValue),
            samples: includingSamples ? try root.openDataset(Name.samples.rawValue).readAll(as: Float.self) : [],
            logProposal: includingSamples ? try root.openDataset(Name.logProposal.rawValue).readAll(as: Float.self) : [],
            logWeights: includingSamples ? try optional(.logWeights, Float.self) : nil,
            effectiveSampleSize: try optional(.effectiveSampleSize, Double.self),
            efficiency: try optional(.efficiency, Double.self), logEvidence: try optional(.logEvidence, Double.self),
            summary: try root.openDataset(Name.summary.rawValue).readAll(as: Double.self),
            flags: try root.openDataset(Name.flags.rawValue).readAll(as: UInt32.self).map(TargetHealth.init(rawValue:)),
            flagReasons: try root.openDataset(Name.flagReasons.rawValue).readStrings(),
            thetaTrue: try optional(.thetaTrue, Double.self), formatVersion: version,
            modelKind: try attributes.string(Key.modelKind.rawValue), cataloguePath: try attributes.string(Key.cataloguePath.rawValue),
            toolVersion: try attributes.string(Key.toolVersion.rawValue),
            x: try optional(.x, Double.self), sigma: try optional(.sigma, Double.self), wavelengths: try optional(.wavelength, Double.self),
            predictive: predictive,
            predictiveReplicates: predictive == nil ? nil : Int(try attributes.int64(Key.predictiveReplicates.rawValue)),
            misfitThreshold: predictive == nil ? nil : try attributes.double(Key.misfitThreshold.rawValue),
            predictiveDrawWeighting: try optionalString(.predictiveDrawWeighting),
            modelCardSHA256: try optionalString(.modelCardSHA256),
            runSeconds: try attributes.contains(Key.runSeconds.rawValue) ? try attributes.double(Key.runSeconds.rawValue) : nil)
    }
}
