import Foundation
import NPEData
import NPEFlows
import NPEModels
import NPERegistry
import NPESimulators
import NPETensor

/// One `npe-train` run: every check that can fail before training, the network built from the dataset's prior and
/// the configuration, training on each worker, and publication.
///
/// Construction does all the checks (so errors come before any work): the dataset opens and validates (and, on
/// the root worker, hashes to its recorded digest), its prior matches its columns, the training noise can be
/// built for it, the registry is writable, and the checkpoint state agrees with `resume`. It also fits the
/// standardisation, deterministically, so every worker and MPI rank computes the same one.
public final class TrainingSession: @unchecked Sendable {
    public let request: TrainingRequest
    /// The request's configuration with its epoch budget resolved for this dataset (`training.epochs` is the cap):
    /// what every worker trains with and the card records.
    public let configuration: TrainingConfiguration
    public let metadata: TrainingDatasetMetadata
    public let rowCount: Int
    public let contentDigest: String
    /// The dataset's full prior (θ and context parameters).
    public let prior: Prior
    /// The noise training adds (nil: none).
    public let noise: TrainingNoise?
    public let architecture: EstimatorArchitecture
    public let standardization: Standardization
    /// The observed masks training draws for a mask-aware model (nil: complete spectra only).
    public let mask: MaskAugmentation?
    /// Rejects rows with absurd x (nil when `training.outlier_limit` is none).
    public let rowFilter: OutlierFilter?
    /// The fraction of the standardisation sample the filter rejected (an estimate for the whole dataset).
    public let rejectedFraction: Double
    /// Training rows expected per epoch: the split's share of the rows, times the share of the standardisation
    /// sample that is neither flagged as failed nor filtered.
    public let expectedTrainingRows: Int
    /// Where the training set lives, its digest and simulator (for the model card).
    public let lineage: DatasetLineage

    /// The root worker's ownership of the checkpoint directory (nil on other workers), held until ``publish(_:workers:)``
    /// or until the session is released.
    let checkpointLock: RunLock?

    /// Rows the standardisation is fitted on (the first training rows; plenty for means and spreads).
    public static let standardizationRows = 50_000

    /// - Parameter isRoot: the root worker also verifies the digest and checks the registry and checkpoint.
    public init(request: TrainingRequest, isRoot: Bool = true) throws {
        self.request = request
        let file = request.datasetFile
        // Own the checkpoint directory before looking at it; give it back if any check below fails.
        let ownership = isRoot ? try request.lockCheckpointDirectory() : nil
        var started = false
        defer { if !started { ownership?.abandon() } }
        let reader = try request.openDataset(checkingOutputs: isRoot)
        defer { try? reader.close() }
        metadata = reader.metadata
        rowCount = reader.rowCount
        contentDigest = reader.contentDigest
        prior = try Self.prior(of: reader.metadata, path: file.path)
        let configuration = request.configuration.resolvingEpochBudget(rows: reader.rowCount)
        self.configuration = configuration
        noise = try configuration.noise.resolve(for: reader.metadata, path: file.path)
        let noiseLevelInput = configuration.noiseLevelInput ?? (noise != nil)
        if noiseLevelInput && noise == nil {
            throw TrainingSetupError.noiseUnavailable(
                dataset: file.path, reason: "noise_level_input is on, but training adds no noise to this dataset")
        }
        mask = try configuration.maskAugmentation?.resolve(
            wavelengths: reader.metadata.wavelength, seed: configuration.training.seed, path: file.path)
        lineage = PosteriorModel.lineage(of: reader, path: file.standardizedFileURL.path)
        architecture = EstimatorArchitecture(
            thetaSupports: PriorSupportMaps.thetaSupports(of: prior), xCount: reader.featureCount,
            contextTransforms: PriorSupportMaps.contextTransforms(of: prior),
            noiseLevelInput: noiseLevelInput, maskInput: mask != nil, embedding: configuration.embedding.architecture,
            flowKind: configuration.flow.kind, transforms: configuration.flow.transforms,
            hiddenWidths: configuration.flow.hiddenWidths, activation: configuration.flow.activation,
            bins: configuration.flow.bins)
        try architecture.validate()
        let fit = try Self.fitStandardization(
            reader: reader, architecture: architecture, noise: noise, options: configuration.training)
        (standardization, rowFilter, rejectedFraction) = (fit.standardization, fit.filter, fit.rejectedFraction)
        expectedTrainingRows = Int((Double(reader.rowCount) * (1 - configuration.training.validationFraction)
            * fit.usableFraction).rounded())
        // The stream serves whole batches only: say so before training, not as an empty split after it.
        if configuration.training.batchSize > expectedTrainingRows {
            throw TrainingSetupError.datasetUnusable(
                path: file.path,
                reason: "batch_size \(configuration.training.batchSize) is larger than the training split (about "
                    + "\(expectedTrainingRows) usable rows of \(reader.rowCount)); lower batch_size or validation_fraction, or add rows")
        }
        // Last, since it reads the whole file: every cheap check has passed by now.
        if isRoot { try reader.verifyContentDigest() }
        checkpointLock = ownership?.lock
        started = true
    }

    /// The dataset's prior, checked against its columns (``TrainingSetupError/datasetUnusable(path:reason:)``).
    public static func prior(of metadata: TrainingDatasetMetadata, path: String) throws -> Prior {
        let prior: Prior
        do {
            prior = try JSONDecoder().decode(Prior.self, from: Data(metadata.priorJSON.utf8))
        } catch {
            throw TrainingSetupError.datasetUnusable(path: path, reason: "its prior attribute is not a usable prior (\(error))")
        }
        guard prior.thetaNames == metadata.parameterNames, prior.contextNames == metadata.contextNames else {
            throw TrainingSetupError.datasetUnusable(
                path: path, reason: "its prior's parameters (\(prior.thetaNames), context \(prior.contextNames)) "
                    + "do not match its columns (\(metadata.parameterNames), context \(metadata.contextNames))")
        }
        return prior
    }

    /// The row filter and the column statistics of the first ``standardizationRows`` usable training rows (x noisy
    /// as epoch 0 draws it), so the network sees inputs of order one. Read a chunk at a time; the same on every
    /// worker. Also returns the filter's rejected fraction of the (unflagged) sample, and the usable fraction of
    /// all sampled training rows.
    static func fitStandardization(reader: TrainingDatasetReader, architecture: EstimatorArchitecture,
                                   noise: TrainingNoise?, options: TrainingOptions)
        throws -> (standardization: Standardization, filter: OutlierFilter?, rejectedFraction: Double, usableFraction: Double)
    {
        let split = DataSplit(seed: options.seed, validationFraction: options.validationFraction)
        var rows: [Int] = [], theta: [Float] = [], x: [Float] = [], context: [Float] = []
        var seen = 0  // training rows looked at, failed ones included
        let (d, m, a) = (reader.parameterCount, reader.featureCount, reader.contextCount)
        let failed = TrainingDatasetFormat.RowFlags.nonFiniteSimulation.rawValue
        chunks: for chunk in 0..<reader.chunkCount {
            let read = try reader.readChunk(chunk)
            for (k, row) in read.rows.enumerated() where !split.isValidation(row: row) {
                seen += 1
                guard (read.flags?[k] ?? 0) & failed == 0 else { continue }
                rows.append(row)
                theta += read.theta[(k * d)..<((k + 1) * d)]
                x += read.x[(k * m)..<((k + 1) * m)]
                if let c = read.context { context += c[(k * a)..<((k + 1) * a)] }
                if rows.count == standardizationRows { break chunks }
            }
        }
        let filter = options.outlierLimit.map { OutlierFilter(x: x, count: rows.count, limit: $0) }
        var kept = (theta: [Float](), x: [Float](), context: [Float]())
        for (k, row) in rows.enumerated() where filter?.accepts(x[(k * m)..<((k + 1) * m)]) != false {
            kept.theta += theta[(k * d)..<((k + 1) * d)]
            var xs = Array(x[(k * m)..<((k + 1) * m)])
            noise?.perturb(&xs, row: row, epoch: 0, seed: options.seed)
            kept.x += xs
            if a > 0 { kept.context += context[(k * a)..<((k + 1) * a)] }
        }
        let count = kept.theta.count / max(d, 1)
        guard count >= 2 else {
            throw TrainingSetupError.datasetUnusable(path: reader.url.path, reason: "fewer than 2 usable training rows")
        }
        let standardization = try Standardization.fit(
            theta: try Tensor(shape: [count, d], scalars: kept.theta), x: try Tensor(shape: [count, m], scalars: kept.x),
            context: a > 0 ? try Tensor(shape: [count, a], scalars: kept.context) : nil,
            supports: architecture.thetaSupports, contextTransforms: architecture.contextTransforms)
        return (standardization, filter, 1 - Double(count) / Double(max(rows.count, 1)), Double(count) / Double(max(seen, 1)))
    }
}
