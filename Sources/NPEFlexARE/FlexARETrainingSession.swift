import Foundation
import NPEData
import NPEModels
import NPERegistry
import NPESimulators
import NPETraining

/// One `npe-train --kind denoiser|imputer` run: the checks before training, the pairs and the standardisation
/// fitted to the dataset, training on each worker (``FlexARETrainer``), and publication as a registry entry of
/// kind `flexare-denoiser` or `flexare-imputer`.
///
/// Construction does every check that can fail before training, in the order of ``NPETraining/TrainingSession``:
/// the dataset opens with a prior matching its columns, the registry is writable, the model name is valid, the
/// checkpoint state agrees with `resume`, the `flexare:` section is valid, the denoiser has a declared noise
/// model (`noise:` in the config, default: the dataset's) and the imputer's grid has instrument segments; last
/// the root re-hashes the dataset.
public final class FlexARETrainingSession: @unchecked Sendable {
    public let request: TrainingRequest
    public let role: FlexAREArchitecture.Role
    public let metadata: TrainingDatasetMetadata
    public let rowCount: Int
    public let prior: Prior
    public let configuration: FlexAREConfiguration
    public let options: FlexARETrainingOptions
    public let architecture: FlexAREArchitecture
    public let pairs: TrainingPairs
    public let rowFilter: OutlierFilter?
    public let rejectedFraction: Double
    public let lineage: DatasetLineage
    let checkpointLock: RunLock?

    /// Rows of the fit sample (the flow's standardisation sample size).
    public static var fitRows: Int { TrainingSession.standardizationRows }

    public init(request: TrainingRequest, role: FlexAREArchitecture.Role, isRoot: Bool = true) throws {
        self.request = request
        self.role = role
        let path = request.datasetFile.path
        let ownership = isRoot ? try request.lockCheckpointDirectory() : nil
        var started = false
        defer { if !started { ownership?.abandon() } }
        let reader = try request.openDataset(checkingOutputs: isRoot)
        defer { try? reader.close() }
        metadata = reader.metadata
        rowCount = reader.rowCount
        prior = try TrainingSession.prior(of: reader.metadata, path: path)
        configuration = request.configuration.flexare
        options = Self.options(request.configuration, configuration, role: role)
        let split = DataSplit(seed: options.seed, validationFraction: options.validationFraction)
        let fit = try Self.fit(reader: reader, split: split, limit: request.configuration.training.outlierLimit)
        (rowFilter, rejectedFraction) = (fit.filter, fit.rejectedFraction)
        architecture = FlexAREArchitecture(role: role, scaling: fit.scaling, configuration: configuration)
        let declared = try request.configuration.noise.resolve(for: reader.metadata, path: path)
        if role == .denoiser, declared == nil {
            throw TrainingSetupError.noiseUnavailable(
                dataset: path, reason: "the denoiser learns noisy → clean pairs and needs a noise model (noise: {model: dataset} with "
                    + "a dataset that declares one, or noise: {model: ariel-mcs})")
        }
        var mask: MaskAugmentation?
        if role == .imputer {
            var masking = TrainingConfiguration.Masking()
            masking.probability = 1
            masking.segments = .ariel
            masking.segmentProbability = configuration.imputer.segmentProbability
            masking.randomBins = 0
            mask = try masking.resolve(wavelengths: reader.metadata.wavelength, seed: options.seed, path: path)
        }
        let useNoise = role == .denoiser || configuration.imputer.noisyInputs
        let seed = options.seed
        pairs = TrainingPairs(scaling: fit.scaling, noise: useNoise ? declared.map { NoiseAugmentation(noise: $0, seed: seed) } : nil,
                              mask: mask)
        lineage = PosteriorModel.lineage(of: reader, path: request.datasetFile.standardizedFileURL.path)
        if isRoot { try reader.verifyContentDigest() }
        checkpointLock = ownership?.lock
        started = true
    }

    /// Budget, seed, split and shuffle from `training:`; batch, step size and pre-training from the role's section.
    static func options(_ c: TrainingConfiguration, _ f: FlexAREConfiguration, role: FlexAREArchitecture.Role) -> FlexARETrainingOptions {
        var o = FlexARETrainingOptions()
        o.epochs = c.training.epochs
        o.seed = c.training.seed
        o.validationFraction = c.training.validationFraction
        o.shuffleBufferChunks = c.training.shuffleBufferChunks
        switch role {
        case .denoiser:
            (o.batchSize, o.learningRate) = (f.denoiser.batchSize, f.denoiser.learningRate)
        case .imputer:
            (o.batchSize, o.learningRate, o.beta1, o.beta2) = (f.imputer.batchSize, f.imputer.learningRate, f.imputer.beta1, f.imputer.beta2)
            o.pretrainEpochs = f.imputer.pretrainEpochs
        }
        return o
    }

    /// The outlier filter and the ``SpectrumScaling``, fitted on the first ``fitRows`` unflagged training rows in
    /// dataset order (the flow's sample); the scaling on the rows the filter accepts.
    static func fit(reader: TrainingDatasetReader, split: DataSplit, limit: Float?) throws
        -> (scaling: SpectrumScaling, filter: OutlierFilter?, rejectedFraction: Double)
    {
        let m = reader.featureCount
        let (x, count) = try TrainingSession.firstTrainingSpectra(reader: reader, split: split, limit: fitRows)
        guard count >= 2 else { throw TrainingSetupError.datasetUnusable(path: reader.url.path, reason: "fewer than 2 usable training rows") }
        let filter = limit.map { OutlierFilter(x: x, count: count, limit: $0) }
        var kept: [Float] = []
        kept.reserveCapacity(x.count)
        for r in 0..<count where filter?.accepts(x[(r * m)..<((r + 1) * m)]) ?? true { kept += x[(r * m)..<((r + 1) * m)] }
        let keptRows = kept.count / m
        guard keptRows >= 2 else {
            throw TrainingSetupError.datasetUnusable(path: reader.url.path, reason: "the outlier filter rejects all but \(keptRows) of \(count) rows")
        }
        return (SpectrumScaling(x: kept, count: keptRows), filter, Double(count - keptRows) / Double(count))
    }
}
