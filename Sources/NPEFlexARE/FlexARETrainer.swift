import Foundation
import NPEData
import NPENN
import NPEParallel
import NPETensor
import NPETraining

/// Synchronous data-parallel training of a ``FlexAREModel`` on ``TrainingPairs``.
///
/// Each step, on this worker's slice of the global batch (``NPETraining/EpochBatchStream``), the summed loss is
/// divided by the global batch size, gradients are all-reduced in rank order and every replica takes the same
/// Adam step, so replicas stay identical and the trajectory does not depend on the worker count (instance
/// normalisation uses each sample's own statistics: nothing is per-worker).
/// - **denoiser**: L = Σᵣ (1/M) Σⱼ (ẑᵣⱼ − zᵣⱼ)², ẑ = f(z̃).
/// - **imputer**: a discriminator step on the detached completion (adversarial epochs), then a generator step on
///   ``ImputerLoss`` (without its adversarial term in the first `pretrainEpochs` epochs).
///
/// After each epoch the validation split is reconstructed with epoch 0's noise and masks
/// (``ReconstructionAccuracy``); the weights with the lowest validation RMSE are kept as `best` and published.
/// Rank 0 writes a ``FlexARECheckpoint`` after every epoch. A stop request discards the unfinished epoch.
public final class FlexARETrainer {
    public let model: FlexAREModel
    public let options: FlexARETrainingOptions
    public let pairs: TrainingPairs
    public let communicator: Communicator
    public var shouldStop: () -> Bool = { false }
    public private(set) var interrupted = false
    /// Called on rank 0 after each epoch.
    public var onEpoch: ((FlexAREEpochMetrics) -> Void)?
    /// Called on rank 0 after each step with (epoch, step, loss).
    public var onStep: ((Int, Int, Float) -> Void)?
    /// The weights of the best validation epoch so far (after ``run(reader:checkpointURL:resume:rowFilter:)``).
    public private(set) var bestWeights: [String: Tensor] = [:]
    public private(set) var bestEpoch = -1

    let optimizer: Adam
    let discriminatorOptimizer: Adam?
    let imputerLoss: ImputerLoss?

    public init(model: FlexAREModel, options: FlexARETrainingOptions, pairs: TrainingPairs,
                communicator: Communicator = LocalCommunicator()) throws {
        try options.validate(workers: communicator.size)
        self.model = model
        self.options = options
        self.pairs = pairs
        self.communicator = communicator
        optimizer = Adam(parameters: model.network.parameters, learningRate: options.learningRate,
                         beta1: options.beta1, beta2: options.beta2)
        discriminatorOptimizer = model.discriminator.map {
            Adam(parameters: $0.parameters, learningRate: options.learningRate, beta1: options.beta1, beta2: options.beta2)
        }
        imputerLoss = model.architecture.imputer.map { ImputerLoss(configuration: $0, scaling: model.architecture.scaling) }
    }

    /// Trains to `options.epochs` over the training part of `reader` and returns every finished epoch's metrics
    /// (a resumed run's earlier ones included).
    ///
    /// - Parameter rowFilter: rows it rejects are never trained or validated on; part of the run's identity.
    public func run(reader: TrainingDatasetReader, checkpointURL: URL? = nil, resume: Bool = false,
                    rowFilter: OutlierFilter? = nil) throws -> [FlexAREEpochMetrics] {
        guard reader.featureCount == model.architecture.binCount else {
            throw FlexAREError.unusable("\(reader.url.path): x has \(reader.featureCount) bins, the model \(model.architecture.binCount)")
        }
        let identity = try runIdentity(datasetDigest: reader.contentDigest, rowFilter: rowFilter)
        var history: [FlexAREEpochMetrics] = []
        bestWeights = model.parameterDictionary()
        bestEpoch = -1
        if resume, let url = checkpointURL, FileManager.default.fileExists(atPath: url.path) {
            let checkpoint = try FlexARECheckpoint.read(from: url)
            guard checkpoint.state.runIdentity == identity else {
                throw FlexAREError.unusable("checkpoint \(url.path) belongs to another run (options, architecture, noise, masks or dataset differ)")
            }
            try model.load(checkpoint.parts["model"] ?? [:])
            try optimizer.loadState(checkpoint.parts["optimizer"] ?? [:])
            if let discriminatorOptimizer { try discriminatorOptimizer.loadState(checkpoint.parts["discriminatorOptimizer"] ?? [:]) }
            history = checkpoint.state.history
            bestWeights = checkpoint.parts["best"] ?? [:]
            bestEpoch = checkpoint.state.bestEpoch
        }
        let split = DataSplit(seed: options.seed, validationFraction: options.validationFraction)
        interrupted = false
        for epoch in history.count..<options.epochs {
            let start = Date()
            let stream = try EpochBatchStream(
                reader: reader, split: split, part: .training, epoch: epoch, seed: options.seed, batchSize: options.batchSize,
                bufferChunks: options.shuffleBufferChunks, rank: communicator.rank, workerCount: communicator.size, rowFilter: rowFilter)
            let adversarial = model.discriminator != nil && epoch >= options.pretrainEpochs
            var totals = [Double](repeating: 0, count: 7)  // loss, l1, adversarial, continuity, physics, D loss, rows
            var step = 0
            while let batch = try stream.next() {
                let sums = try self.step(batch, epoch: epoch, index: step)
                for i in totals.indices { totals[i] += sums[i] }
                if communicator.isRoot { onStep?(epoch, step, Float(sums[0] / max(sums[6], 1))) }
                step += 1
                if shouldStop() { interrupted = true; break }
            }
            if interrupted { break }
            let validation = try validate(reader: reader, split: split, rowFilter: rowFilter)
            let seconds = Date().timeIntervalSince(start), rows = max(totals[6], 1)
            let imputer = model.discriminator != nil
            let metrics = FlexAREEpochMetrics(
                epoch: epoch, phase: imputer ? (adversarial ? "adversarial" : "pretrain") : "train", trainingLoss: totals[0] / rows,
                l1: imputer ? totals[1] / rows : nil, adversarial: adversarial ? totals[2] / rows : nil,
                continuity: imputer ? totals[3] / rows : nil, physics: imputer ? totals[4] / rows : nil,
                discriminatorLoss: adversarial ? totals[5] / rows : nil, validationRMSE: validation.rmse,
                validationAccuracy: validation.accuracy, validationRMSEPPM: validation.rmsePPM, rows: Int(totals[6]),
                seconds: seconds, samplesPerSecond: totals[6] / max(seconds, 1e-9))
            history.append(metrics)
            if bestEpoch < 0 || validation.rmse < history[bestEpoch].validationRMSE {
                bestEpoch = epoch
                bestWeights = model.parameterDictionary()
            }
            if communicator.isRoot {
                onEpoch?(metrics)
                if let url = checkpointURL {
                    var parts = ["model": model.parameterDictionary(), "best": bestWeights, "optimizer": optimizer.stateDictionary()]
                    if let discriminatorOptimizer { parts["discriminatorOptimizer"] = discriminatorOptimizer.stateDictionary() }
                    try FlexARECheckpoint(state: .init(history: history, runIdentity: identity, bestEpoch: bestEpoch), parts: parts)
                        .write(to: url)
                }
            }
        }
        return history
    }

    /// Everything that shapes the trajectory but the epoch budget, so a finished run can be extended.
    func runIdentity(datasetDigest: String, rowFilter: OutlierFilter?) throws -> String {
        var shaping = options
        shaping.epochs = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func text<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        return [datasetDigest, try text(shaping), try text(model.architecture), try text(pairs.noise?.noise), try text(pairs.mask),
                try text(rowFilter)].joined(separator: "|")
    }

    /// One training step on this worker's slice (`index` counts steps within the epoch; it only names a failing
    /// step): a denoiser step, or an imputer step that is adversarial from epoch `pretrainEpochs` on. Returns the
    /// global sums (loss, L1, adversarial, continuity, physics, discriminator loss, rows).
    public func step(_ batch: TrainingBatch, epoch: Int, index: Int) throws -> [Double] {
        model.denoiser != nil ? try denoiserStep(batch, epoch: epoch, step: index)
            : try imputerStep(batch, epoch: epoch, step: index, adversarial: epoch >= options.pretrainEpochs)
    }

    /// One denoiser step; returns the global sums (loss, 0, 0, 0, 0, 0, rows).
    func denoiserStep(_ batch: TrainingBatch, epoch: Int, step: Int) throws -> [Double] {
        let denoiser = model.denoiser!
        let (input, _, target) = try pairs.make(batch, epoch: epoch)
        denoiser.zeroGradients()
        let m = Float(target.shape[1])
        let loss = try (denoiser(Variable(input)) - Variable(target)).squared().sum() * (1 / m)
        try (loss * (1 / Float(batch.globalCount))).backward()
        try communicator.allReduceGradients(denoiser.parameters)
        optimizer.step()
        var sums = [Double(loss.value.scalarValue), 0, 0, 0, 0, 0, Double(batch.count)]
        try communicator.allReduceSum(&sums)
        guard sums[0].isFinite else { throw FlexAREError.nonFiniteLoss(epoch: epoch, step: step, which: "denoiser", value: sums[0]) }
        return sums
    }

    /// One imputer step (discriminator first when `adversarial`); returns the global sums (generator total, L1,
    /// adversarial, continuity, physics, discriminator loss, rows).
    func imputerStep(_ batch: TrainingBatch, epoch: Int, step: Int, adversarial: Bool) throws -> [Double] {
        let (generator, discriminator, loss) = (model.generator!, model.discriminator!, imputerLoss!)
        let (input, observed, target) = try pairs.make(batch, epoch: epoch)
        let scale = 1 / Float(batch.globalCount)
        let m = target.shape[1]
        generator.zeroGradients()
        let generated = try generator(Variable(UNetImputerGenerator.input(
            standardized: input.scalars, observed: observed.scalars, rows: batch.count, binCount: m)))
        let completed = try ImputerLoss.completed(generated: generated, input: input, observed: observed)
        var discriminatorLoss = 0.0
        var logits: Variable?
        if adversarial {
            let hint = try TrainingPairs.hint(observed: observed, rows: batch.rows, rate: model.architecture.imputer!.hintRate,
                                              epoch: epoch, seed: options.seed)
            discriminator.zeroGradients()
            let dLoss = try ImputerLoss.discriminatorLoss(logits: discriminator.logits(completed: Variable(completed.value), hint: hint),
                                                          observed: observed)
            try (dLoss * scale).backward()
            try communicator.allReduceGradients(discriminator.parameters)
            discriminatorOptimizer!.step()
            discriminatorLoss = Double(dLoss.value.scalarValue)
            logits = try discriminator.logits(completed: completed, hint: hint)
        }
        let terms = try loss.generatorTerms(generated: generated, completed: completed, target: target, observed: observed,
                                            discriminatorLogits: logits)
        try (terms.total * scale).backward()
        try communicator.allReduceGradients(generator.parameters)
        optimizer.step()
        discriminator.zeroGradients()
        var sums = [Double(terms.total.value.scalarValue), terms.l1, terms.adversarial, terms.continuity, terms.physics,
                    discriminatorLoss, Double(batch.count)]
        try communicator.allReduceSum(&sums)
        for (i, which) in [(0, "imputer generator"), (5, "imputer discriminator")] where !sums[i].isFinite {
            throw FlexAREError.nonFiniteLoss(epoch: epoch, step: step, which: which, value: sums[i])
        }
        return sums
    }

    /// Reconstruction accuracy on the validation split, all workers' slices summed.
    func validate(reader: TrainingDatasetReader, split: DataSplit, rowFilter: OutlierFilter?) throws -> ReconstructionAccuracy {
        let stream = try EpochBatchStream(
            reader: reader, split: split, part: .validation, epoch: 0, seed: options.seed, batchSize: max(options.batchSize, 256),
            bufferChunks: options.shuffleBufferChunks, rank: communicator.rank, workerCount: communicator.size, rowFilter: rowFilter)
        var accuracy = ReconstructionAccuracy(scaling: pairs.scaling)
        while let batch = try stream.next() {
            guard batch.count > 0 else { continue }
            let (reconstruction, observed) = try Self.reconstruct(model: model, pairs: pairs, batch: batch, epoch: 0)
            let m = batch.x.columnCount
            // The denoiser is scored on every bin, the imputer on the bins it filled.
            let imputing = model.discriminator != nil
            accuracy.add(reconstruction: reconstruction, truth: batch.x.scalars,
                         bins: imputing ? { observed[$0 * m + $1] == 0 } : nil)
        }
        var sums = accuracy.sums
        try communicator.allReduceSum(&sums)
        accuracy.replaceSums(sums)
        return accuracy
    }

    /// The model's reconstruction (depth units) of a batch's pairs in `epoch`, and the observed flags.
    public static func reconstruct(model: FlexAREModel, pairs: TrainingPairs, batch: TrainingBatch, epoch: Int) throws
        -> (reconstruction: [Float], observed: [Float])
    {
        let (input, observed, _) = try pairs.make(batch, epoch: epoch)
        let noisy = pairs.scaling.destandardized(input.scalars)
        let masked = zip(noisy, observed.scalars).map { $1 > 0 ? $0 : Float.nan }
        return (try model.reconstruct(masked, rows: batch.count), observed.scalars)
    }
}
