import Foundation
import NPEData
import NPEModels
import NPEParallel
import NPERegistry
import NPESimulators
import NPETraining

/// One `npe-train --kind exogan` run: the checks before training, the encoding fitted to the dataset, training on
/// each worker (threads or MPI ranks, through ``GANTrainer``), and publication as a registry entry of kind
/// `exogan` with the metrics log.
///
/// Construction does every check that can fail before training, in the order of ``NPETraining/TrainingSession``:
/// the dataset opens (52 bins, a prior matching its columns, every θ bounded), the registry is writable, the
/// model name is valid, the checkpoint state agrees with `resume`, and last the root re-hashes the dataset. It
/// fits the flow path's outlier filter on the same standardisation sample (the first
/// ``NPETraining/TrainingSession/standardizationRows`` unflagged training rows), so both methods skip the same
/// rows, and the ASPA encoding's depth range on the filtered training split. All of it is deterministic, so every
/// worker computes the same.
///
/// The GAN trains on noise-free spectra and has no context inputs: the context parameters of the prior (planet
/// mass, stellar radius for ARIEL) are marginalised (`docs/exogan.md`).
public final class ExoGANTrainingSession: @unchecked Sendable {
    public let request: TrainingRequest
    public let metadata: TrainingDatasetMetadata
    public let rowCount: Int
    public let prior: Prior
    public let architecture: GANArchitecture
    public let options: GANTrainingOptions
    /// Rejects rows with absurd x (nil when `training.outlier_limit` is none).
    public let rowFilter: OutlierFilter?
    /// The fraction of the filter's sample it rejected (an estimate for the whole dataset).
    public let rejectedFraction: Double
    public let lineage: DatasetLineage
    /// The root worker's ownership of the checkpoint directory (nil on other workers), held until publication.
    let checkpointLock: RunLock?

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
        guard reader.featureCount == ASPALayout.binCount else {
            throw TrainingSetupError.datasetUnusable(
                path: file.path, reason: "x has \(reader.featureCount) bins; the ExoGAN layout holds the \(ASPALayout.binCount) ADC2023 bins")
        }
        prior = try TrainingSession.prior(of: reader.metadata, path: file.path)
        let box = try Self.priorBox(prior, path: file.path)
        let configuration = request.configuration
        options = Self.options(configuration)
        let split = DataSplit(seed: options.seed, validationFraction: options.validationFraction)
        (rowFilter, rejectedFraction) = try Self.fitOutlierFilter(reader: reader, split: split,
                                                                  limit: configuration.training.outlierLimit)
        let encoding = try ASPAEncoding.fitted(reader: reader, split: split, parameterLow: box.low, parameterHigh: box.high,
                                               marginDex: configuration.exogan.marginDex, rowFilter: rowFilter)
        architecture = try GANArchitecture(latentDimension: configuration.exogan.latentDimension,
                                           baseChannels: configuration.exogan.baseChannels, encoding: encoding)
        lineage = PosteriorModel.lineage(of: reader, path: file.standardizedFileURL.path)
        if isRoot { try reader.verifyContentDigest() }
        checkpointLock = ownership?.lock
        started = true
    }

    /// The trainer's options: budget, seed, split and shuffle from `training:`, the optimiser from `exogan:`.
    static func options(_ configuration: TrainingConfiguration) -> GANTrainingOptions {
        var options = GANTrainingOptions()
        options.epochs = configuration.training.epochs
        options.seed = configuration.training.seed
        options.validationFraction = configuration.training.validationFraction
        options.shuffleBufferChunks = configuration.training.shuffleBufferChunks
        options.batchSize = configuration.exogan.batchSize
        options.learningRate = configuration.exogan.learningRate
        options.beta1 = configuration.exogan.beta1
        options.beta2 = configuration.exogan.beta2
        return options
    }

    /// The θ prior box the images are normalised over; every θ needs a bounded prior.
    static func priorBox(_ prior: Prior, path: String) throws -> (low: [Double], high: [Double]) {
        var low: [Double] = [], high: [Double] = []
        for index in prior.thetaIndices {
            let parameter = prior.parameters[index]
            let support = parameter.distribution.support
            guard support.lowerBound.isFinite, support.upperBound.isFinite, support.lowerBound < support.upperBound else {
                throw TrainingSetupError.datasetUnusable(
                    path: path, reason: "parameter '\(parameter.name)' has the unbounded or degenerate support \(support); "
                        + "the ExoGAN parameter patches need a bounded prior box")
            }
            low.append(support.lowerBound)
            high.append(support.upperBound)
        }
        return (low, high)
    }

    /// The flow path's outlier filter, fitted on the same sample: the first
    /// ``NPETraining/TrainingSession/standardizationRows`` unflagged training rows, in dataset order.
    static func fitOutlierFilter(reader: TrainingDatasetReader, split: DataSplit, limit: Float?) throws
        -> (filter: OutlierFilter?, rejectedFraction: Double)
    {
        guard let limit else { return (nil, 0) }
        let m = reader.featureCount
        let (x, count) = try TrainingSession.firstTrainingSpectra(reader: reader, split: split)
        guard count >= 2 else {
            throw TrainingSetupError.datasetUnusable(path: reader.url.path, reason: "fewer than 2 usable training rows")
        }
        let filter = OutlierFilter(x: x, count: count, limit: limit)
        let rejected = (0..<count).filter { !filter.accepts(x[($0 * m)..<(($0 + 1) * m)]) }.count
        return (filter, Double(rejected) / Double(count))
    }
}
