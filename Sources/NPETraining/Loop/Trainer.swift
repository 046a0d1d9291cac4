import Foundation
import NPEData
import NPENN
import NPEParallel
import NPETensor

/// Synchronous data-parallel training with early stopping, per-epoch checkpoints and a metrics log.
///
/// Each worker (thread or MPI rank) owns a replica of the model built from the same seed, and a ``Trainer``
/// bound to its ``Communicator``. Per step every worker computes the summed loss of its slice of the global
/// batch divided by the global batch size, back-propagates, and the gradients are summed across workers in rank
/// order; every replica then applies the same AdamW step, so replicas stay identical without broadcasting
/// weights. Results depend on the seed and the global batch size only (up to float summation order).
public final class Trainer<Model: TrainableModel> {
    public let model: Model
    public let options: TrainingOptions
    public let reader: TrainingDatasetReader
    public let noise: NoiseAugmentation?
    /// Observed masks drawn per (epoch, row) for a mask-aware model; nil: every bin is always observed.
    public let mask: MaskAugmentation?
    /// Rows it rejects are skipped in training and validation.
    public let rowFilter: OutlierFilter?
    public let communicator: Communicator
    /// The objective (``MaximumLikelihood`` unless a sequential method gives another).
    public let loss: any TrainingLoss
    /// Where the checkpoint is written every epoch (rank 0 writes; nil disables checkpoints).
    public let checkpointURL: URL?
    /// JSON-lines metrics (rank 0).
    public let metricsURL: URL?
    /// Polled between steps; when it returns true, training writes a checkpoint and stops (Ctrl-C).
    public var shouldStop: () -> Bool = { false }
    /// Called on rank 0 after each step (progress display): epoch, step, steps per epoch (estimate), loss.
    public var onStep: ((Int, Int, Int, Float) -> Void)?
    /// Called on rank 0 after each epoch.
    public var onEpoch: ((EpochMetrics) -> Void)?
    /// The number of usable training rows, when known (failed and filtered rows excluded): it sets the steps per
    /// epoch that the cosine schedule and the progress display count with. Default: all rows outside the
    /// validation split. Must be the same on every worker.
    public var expectedTrainingRows: Int?

    let optimizer: AdamW
    let split: DataSplit

    public init(model: Model, options: TrainingOptions, reader: TrainingDatasetReader, noise: NoiseAugmentation?,
                communicator: Communicator = LocalCommunicator(), checkpointURL: URL? = nil, metricsURL: URL? = nil,
                rowFilter: OutlierFilter? = nil, mask: MaskAugmentation? = nil, loss: any TrainingLoss = MaximumLikelihood()) {
        self.rowFilter = rowFilter
        self.mask = mask
        self.loss = loss
        self.model = model
        self.options = options
        self.reader = reader
        self.noise = noise
        self.communicator = communicator
        self.checkpointURL = checkpointURL
        self.metricsURL = metricsURL
        optimizer = AdamW(parameters: model.parameters, learningRate: options.learningRate, weightDecay: options.weightDecay)
        split = DataSplit(seed: options.seed, validationFraction: options.validationFraction)
    }

    /// What a finished (or stopped) run produced.
    public struct Result {
        /// The weights of the epoch with the lowest validation loss, loaded into ``model``.
        public var bestParameters: [String: Tensor]
        public var bestValidationLoss: Float
        public var bestEpoch: Int
        public var history: [EpochMetrics]
        public var stoppedEarly: Bool
        public var interrupted: Bool
    }

    /// Identifies the run for resume checks: the dataset digest, every option that shapes the trajectory and the
    /// mask augmentation (appended only when there is one, so checkpoints of runs without masks still resume).
    /// `epochs` and `patience` are left out, so a finished or stopped run can be extended by resuming it with a
    /// larger budget.
    var runIdentity: String {
        var shaping = options
        shaping.epochs = 0
        shaping.patience = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let encoded = (try? encoder.encode(shaping)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let objective = loss.identity.isEmpty ? "" : "|loss=\(loss.identity)"
        let masking = mask.flatMap { try? encoder.encode($0) }.map { "|mask:" + String(decoding: $0, as: UTF8.self) } ?? ""
        return "\(reader.contentDigest)|\(encoded)\(objective)\(masking)"
    }

    /// Trains, resuming from the checkpoint when `resume` is set and one exists.
    public func run(resume: Bool = false) throws -> Result {
        var state = TrainingCheckpoint.State(
            completedEpochs: 0, bestValidationLoss: .infinity, bestEpoch: -1, epochsWithoutImprovement: 0,
            plateau: plateauScheduler(), history: [], runIdentity: runIdentity)
        var best = model.parameterDictionary()
        if resume, let url = checkpointURL, FileManager.default.fileExists(atPath: url.path) {
            let checkpoint = try TrainingCheckpoint.read(from: url)
            guard checkpoint.state.runIdentity == runIdentity else {
                throw TrainingError.checkpointMismatch(path: url.path, reason: "options or dataset differ")
            }
            try model.load(checkpoint.model)
            try optimizer.loadState(checkpoint.optimizer)
            best = checkpoint.best
            state = checkpoint.state
        }
        // The log restarts from the checkpoint's history: a kill between a log line and its checkpoint would
        // otherwise leave that epoch in the log twice after resuming.
        let log = try communicator.isRoot ? metricsURL.map { try MetricsLog(url: $0, truncating: true) } : nil
        for metrics in state.history { try log?.append(metrics) }
        let trainingRows = expectedTrainingRows ?? Int(Double(reader.rowCount) * (1 - options.validationFraction))
        let stepsPerEpoch = max(1, trainingRows / options.batchSize)
        var interrupted = false

        epochs: for epoch in state.completedEpochs..<options.epochs {
            // A resumed run that had already stopped early stays stopped (unless resumed with more patience).
            if state.epochsWithoutImprovement >= options.patience { break }
            let start = Date()
            // A run stopped mid-epoch (Ctrl-C) resumes at its next step, with the epoch's partial sums.
            let resumedStep = state.stepsInEpoch
            var trainingTotals = state.partialTrainingTotals ?? [0.0, 0.0]  // summed loss, rows
            var gradientNorm: Float = 0
            let stream = try EpochBatchStream(
                reader: reader, split: split, part: .training, epoch: epoch, seed: options.seed,
                batchSize: options.batchSize, bufferChunks: options.shuffleBufferChunks,
                rank: communicator.rank, workerCount: communicator.size, rowFilter: rowFilter)
            for _ in 0..<resumedStep { _ = try stream.next() }
            state.stepsInEpoch = 0
            state.partialTrainingTotals = nil
            var step = resumedStep
            while let batch = try stream.next() {
                if try stopIsRequested() {
                    interrupted = true
                    state.stepsInEpoch = step
                    state.partialTrainingTotals = trainingTotals
                    try writeCheckpoint(state: state, best: best)
                    break epochs
                }
                optimizer.learningRate = learningRate(state: state, step: epoch * stepsPerEpoch + step, stepsPerEpoch: stepsPerEpoch)
                model.zeroGradients()
                let summed = try loss.summedLoss(of: model, on: inputs(for: batch, epoch: epoch))
                var sums = [Double(summed.value.scalarValue), Double(batch.count)]
                try (summed * (1 / Float(batch.globalCount))).backward()
                try communicator.allReduceGradients(model.parameters)
                try communicator.allReduceSum(&sums)
                let meanLoss = Float(sums[0] / sums[1])
                guard meanLoss.isFinite else { throw TrainingError.nonFiniteLoss(epoch: epoch, step: step, value: meanLoss) }
                if let maxNorm = options.gradientClipNorm {
                    gradientNorm = clipGradientNorm(model.parameters, maxNorm: maxNorm)
                }
                optimizer.step()
                trainingTotals[0] += sums[0]
                trainingTotals[1] += sums[1]
                step += 1
                if communicator.isRoot { onStep?(epoch, step, stepsPerEpoch, meanLoss) }
            }
            guard trainingTotals[1] > 0 else { throw TrainingError.emptySplit("training") }
            let validationLoss = try validate(epoch: epoch)
            let seconds = Date().timeIntervalSince(start)
            let metrics = EpochMetrics(
                epoch: epoch, trainingLoss: Float(trainingTotals[0] / trainingTotals[1]), validationLoss: validationLoss,
                learningRate: optimizer.learningRate,
                samplesPerSecond: Double(max(step - resumedStep, 0) * options.batchSize) / max(seconds, 1e-9),
                seconds: seconds, gradientNorm: gradientNorm)
            state.history.append(metrics)
            state.completedEpochs = epoch + 1
            if validationLoss < state.bestValidationLoss {
                state.bestValidationLoss = validationLoss
                state.bestEpoch = epoch
                state.epochsWithoutImprovement = 0
                best = model.parameterDictionary()
            } else {
                state.epochsWithoutImprovement += 1
            }
            if state.plateau != nil { _ = state.plateau!.record(loss: validationLoss) }
            if communicator.isRoot {
                try log?.append(metrics)
                onEpoch?(metrics)
            }
            try writeCheckpoint(state: state, best: best)
            if state.epochsWithoutImprovement >= options.patience { break }
        }
        // A stopped run's checkpoint holds the weights after its last step and its position in the epoch; the
        // returned model holds the best weights so far either way.
        try model.load(best)
        return Result(bestParameters: best, bestValidationLoss: state.bestValidationLoss, bestEpoch: state.bestEpoch,
                      history: state.history, stoppedEarly: state.epochsWithoutImprovement >= options.patience,
                      interrupted: interrupted)
    }

    /// Whether any worker was asked to stop: every worker must leave the loop at the same step, or the others
    /// would wait for it in the next collective forever.
    func stopIsRequested() throws -> Bool {
        var flag = [shouldStop() ? 1.0 : 0.0]
        if communicator.size > 1 { try communicator.allReduceSum(&flag) }
        return flag[0] > 0
    }

    /// Rank 0 replaces the checkpoint (atomically).
    func writeCheckpoint(state: TrainingCheckpoint.State, best: [String: Tensor]) throws {
        guard communicator.isRoot, let url = checkpointURL else { return }
        try TrainingCheckpoint(state: state, model: model.parameterDictionary(), best: best,
                               optimizer: optimizer.stateDictionary()).write(to: url)
    }

    func plateauScheduler() -> ReduceOnPlateau? {
        guard case let .plateau(factor, patience, minimum) = options.schedule else { return nil }
        return ReduceOnPlateau(learningRate: options.learningRate, factor: factor, patience: patience, minimum: minimum)
    }

    func learningRate(state: TrainingCheckpoint.State, step: Int, stepsPerEpoch: Int) -> Float {
        switch options.schedule {
        case .constant: return options.learningRate
        case let .cosine(minimum):
            return CosineSchedule(base: options.learningRate, minimum: minimum, totalSteps: options.epochs * stepsPerEpoch)
                .learningRate(atStep: step)
        case .plateau: return state.plateau?.learningRate ?? options.learningRate
        }
    }

    func inputs(for batch: TrainingBatch, epoch: Int) throws -> TrainingInputs {
        let observed = try mask?.apply(to: batch, epoch: epoch)
        guard let noise else { return TrainingInputs(theta: batch.theta, x: batch.x, sigma: nil, context: batch.context, observed: observed) }
        let (x, sigma) = try noise.apply(to: batch, epoch: epoch)
        return TrainingInputs(theta: batch.theta, x: x, sigma: sigma, context: batch.context, observed: observed)
    }

    /// Mean validation loss over the held-out rows, with noise drawn for the epoch (so it tracks the training
    /// objective), summed across workers.
    func validate(epoch: Int) throws -> Float {
        let stream = try EpochBatchStream(
            reader: reader, split: split, part: .validation, epoch: epoch, seed: options.seed,
            batchSize: options.batchSize, bufferChunks: options.shuffleBufferChunks,
            rank: communicator.rank, workerCount: communicator.size, rowFilter: rowFilter)
        var sums = [0.0, 0.0]
        try withoutGradient {
            while let batch = try stream.next() {
                guard batch.count > 0 else { continue }
                sums[0] += Double(try loss.summedLoss(of: model, on: inputs(for: batch, epoch: epoch)).value.scalarValue)
                sums[1] += Double(batch.count)
            }
        }
        try communicator.allReduceSum(&sums)
        guard sums[1] > 0 else { throw TrainingError.emptySplit("validation") }
        return Float(sums[0] / sums[1])
    }
}
