import Foundation
import NPEData
import NPENN
import NPEParallel
import NPETensor
import NPETraining
import NPESupport

/// Synchronous data-parallel DCGAN training of an ``ExoGANModel`` on (θ, x) rows.
///
/// Each step, on this worker's slice of the global batch (Goodfellow et al. 2014, with the non-saturating
/// generator loss and DCGAN's order of updates):
/// 1. z is drawn per row, keyed on (seed, epoch, row): the same draws whatever worker a row lands on;
/// 2. **discriminator**: loss Σ softplus(−D(x)) + softplus(D(G(z))) over the slice (binary cross-entropy on
///    logits), divided by the global batch size, back-propagated with G(z) detached; gradients summed over
///    workers in rank order (`allReduceSum`), one Adam step;
/// 3. **generator**: loss Σ softplus(−D(G(z))) through the updated discriminator, same scaling and reduction,
///    one Adam step on the generator only.
///
/// Replicas start identical (same seed) and apply identical steps, so they stay identical without broadcasting
/// weights. Batch normalisation uses each worker's own slice statistics (PyTorch DDP without SyncBatchNorm), so
/// unlike the flow trainer the trajectory depends on the worker count; the running statistics are averaged over
/// workers at the end of every epoch so that the replicas' saved models agree.
///
/// Every step checks that both losses are finite and throws ``ExoGANError/nonFiniteLoss(epoch:step:which:value:)``
/// otherwise (on every worker alike, since the sums are all-reduced first).
public final class GANTrainer {
    public let model: ExoGANModel
    public let options: GANTrainingOptions
    public let communicator: Communicator
    /// Polled between steps; when it returns true the epoch stops early and `run` returns (Ctrl-C).
    public var shouldStop: () -> Bool = { false }
    /// Whether the last epoch was cut short by ``shouldStop``.
    public private(set) var interrupted = false
    /// Called on rank 0 after each epoch.
    public var onEpoch: ((GANEpochMetrics) -> Void)?

    let generatorOptimizer: Adam
    let discriminatorOptimizer: Adam

    public init(model: ExoGANModel, options: GANTrainingOptions = GANTrainingOptions(),
                communicator: Communicator = LocalCommunicator()) throws {
        try options.validate(workers: communicator.size)
        self.model = model
        self.options = options
        self.communicator = communicator
        generatorOptimizer = Adam(parameters: model.generator.parameters, learningRate: options.learningRate,
                                  beta1: options.beta1, beta2: options.beta2)
        discriminatorOptimizer = Adam(parameters: model.discriminator.parameters, learningRate: options.learningRate,
                                      beta1: options.beta1, beta2: options.beta2)
    }

    /// Trains up to `options.epochs` epochs over the training part of `reader`'s rows (streamed, shuffled per
    /// epoch by ``NPETraining/EpochBatchStream``) and returns every completed epoch's metrics.
    ///
    /// With `checkpointURL`, rank 0 writes a ``GANCheckpoint`` after every epoch; with `resume` too, a run starts
    /// from that checkpoint when it exists (it must come from the same options, architecture and dataset) and
    /// continues to `options.epochs`. When ``shouldStop`` fires, the unfinished epoch is discarded (the
    /// checkpoint keeps the last complete one) and ``interrupted`` is set.
    ///
    /// - Parameter rowFilter: rows whose x it rejects are never trained on (the flow trainer's outlier filter, so
    ///   that both methods see the same rows); it is part of the run's identity.
    public func run(reader: TrainingDatasetReader, checkpointURL: URL? = nil, resume: Bool = false,
                    rowFilter: OutlierFilter? = nil) throws -> [GANEpochMetrics] {
        guard reader.featureCount == ASPALayout.binCount else {
            throw ExoGANError.spectrumLength(expected: ASPALayout.binCount, got: reader.featureCount)
        }
        guard reader.parameterCount == model.encoding.parameterCount else {
            throw ExoGANError.parameterCount(expected: "\(model.encoding.parameterCount) (the encoding's prior box)", got: reader.parameterCount)
        }
        var identity = try runIdentity(datasetDigest: reader.contentDigest)
        if let rowFilter {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            identity += "|filter=" + String(decoding: try encoder.encode(rowFilter), as: UTF8.self)
        }
        var history: [GANEpochMetrics] = []
        if resume, let url = checkpointURL, FileManager.default.fileExists(atPath: url.path) {
            let checkpoint = try GANCheckpoint.read(from: url)
            guard checkpoint.state.runIdentity == identity else {
                throw ExoGANError.invalidModel("checkpoint \(url.path) belongs to another run (options, architecture or dataset differ)")
            }
            try model.load(checkpoint.model)
            try generatorOptimizer.loadState(checkpoint.generatorOptimizer)
            try discriminatorOptimizer.loadState(checkpoint.discriminatorOptimizer)
            history = checkpoint.state.history
        }
        let split = DataSplit(seed: options.seed, validationFraction: options.validationFraction)
        interrupted = false
        for epoch in history.count..<options.epochs {
            let stream = try EpochBatchStream(
                reader: reader, split: split, part: .training, epoch: epoch, seed: options.seed,
                batchSize: options.batchSize, bufferChunks: options.shuffleBufferChunks,
                rank: communicator.rank, workerCount: communicator.size, rowFilter: rowFilter)
            let metrics = try trainEpoch(epoch) {
                try stream.next().map { GANBatch(rows: $0.rows, theta: $0.theta, x: $0.x, globalCount: $0.globalCount) }
            }
            if interrupted { break }
            history.append(metrics)
            if communicator.isRoot, let url = checkpointURL {
                try GANCheckpoint(state: .init(completedEpochs: epoch + 1, history: history, runIdentity: identity),
                                  model: model.parameterDictionary(), generatorOptimizer: generatorOptimizer.stateDictionary(),
                                  discriminatorOptimizer: discriminatorOptimizer.stateDictionary()).write(to: url)
            }
        }
        return history
    }

    /// Everything that shapes the trajectory except the epoch budget, so a finished run can be extended.
    func runIdentity(datasetDigest: String) throws -> String {
        var shaping = options
        shaping.epochs = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = { (data: Data) in String(decoding: data, as: UTF8.self) }
        return "\(datasetDigest)|\(text(try encoder.encode(shaping)))|\(text(try encoder.encode(model.architecture)))|workers=\(communicator.size)"
    }

    /// One epoch over the batches `next` serves (nil ends it); each is this worker's slice of a global batch.
    public func trainEpoch(_ epoch: Int, next: () throws -> GANBatch?) throws -> GANEpochMetrics {
        let start = Date()
        interrupted = false
        model.setMode(.training)
        var totals = [0.0, 0.0, 0.0, 0.0, 0.0]  // D loss, G loss, D(x), D(G(z)), rows
        var step = 0
        while let batch = try next() {
            let sums = try self.step(batch, epoch: epoch, index: step)
            for i in totals.indices { totals[i] += sums[i] }
            step += 1
            if shouldStop() { interrupted = true; break }
        }
        try averageRunningStatistics()
        let seconds = Date().timeIntervalSince(start)
        let rows = max(totals[4], 1)
        let metrics = GANEpochMetrics(
            epoch: epoch, discriminatorLoss: totals[0] / rows, generatorLoss: totals[1] / rows, realScore: totals[2] / rows,
            fakeScore: totals[3] / rows, rows: Int(totals[4]), seconds: seconds, samplesPerSecond: totals[4] / max(seconds, 1e-9))
        if communicator.isRoot { onEpoch?(metrics) }
        return metrics
    }

    /// One discriminator step and one generator step; returns the global sums (D loss, G loss, D(x), D(G(z)), rows).
    public func step(_ batch: GANBatch, epoch: Int, index: Int) throws -> [Double] {
        let (generator, discriminator) = (model.generator, model.discriminator)
        let scale = 1 / Float(batch.globalCount)
        let real = Variable(try model.encoding.encode(theta: batch.theta, x: batch.x))
        let fake = try generator(Variable(latents(rows: batch.rows, epoch: epoch)))

        discriminator.zeroGradients()
        let realLogits = try discriminator(real)
        let fakeLogits = try discriminator(Variable(fake.value))
        let discriminatorLoss = try (-realLogits).softplus().sum() + fakeLogits.softplus().sum()
        try (discriminatorLoss * scale).backward()
        try communicator.allReduceGradients(discriminator.parameters)
        discriminatorOptimizer.step()

        generator.zeroGradients()
        discriminator.zeroGradients()
        let generatorLoss = try (-discriminator(fake)).softplus().sum()
        try (generatorLoss * scale).backward()
        try communicator.allReduceGradients(generator.parameters)
        generatorOptimizer.step()
        discriminator.zeroGradients()

        var sums = [Double(discriminatorLoss.value.scalarValue), Double(generatorLoss.value.scalarValue),
                    Self.sigmoidSum(realLogits.value), Self.sigmoidSum(fakeLogits.value), Double(batch.theta.shape[0])]
        try communicator.allReduceSum(&sums)
        for (i, which) in [(0, "discriminator"), (1, "generator")] where !sums[i].isFinite {
            throw ExoGANError.nonFiniteLoss(epoch: epoch, step: index, which: which, value: sums[i])
        }
        return sums
    }

    /// z `[n, L]` for dataset rows `rows` in `epoch`: row r takes draws r·L ..< (r+1)·L of the epoch's stream.
    func latents(rows: [Int], epoch: Int) -> Tensor {
        let dimension = model.architecture.latentDimension
        let stream = RandomStream(seed: options.seed, stream: 0x1A7E).child(UInt64(epoch))
        var z = [Float](repeating: 0, count: rows.count * dimension)
        z.withUnsafeMutableBufferPointer { buffer in
            for (i, row) in rows.enumerated() {
                stream.fillNormal(UnsafeMutableBufferPointer(rebasing: buffer[(i * dimension)..<((i + 1) * dimension)]),
                                  startingAt: UInt64(row * dimension))
            }
        }
        return try! Tensor(shape: [rows.count, dimension], scalars: z)
    }

    /// Replaces every batch-norm running statistic by its mean over workers.
    func averageRunningStatistics() throws {
        guard communicator.size > 1 else { return }
        let buffers = (model.generator.namedBuffers + model.discriminator.namedBuffers).map(\.buffer)
        var flat = buffers.flatMap(\.value.scalars)
        try communicator.allReduceMean(&flat)
        var offset = 0
        for b in buffers {
            try b.assign(try Tensor(shape: b.shape, scalars: Array(flat[offset..<(offset + b.value.count)])))
            offset += b.value.count
        }
    }

    static func sigmoidSum(_ logits: Tensor) -> Double {
        logits.scalars.reduce(0.0) { $0 + 1 / (1 + Foundation.exp(-Double($1))) }
    }
}

/// One worker's slice of a global batch: dataset row indices (they key the latent draws), θ `[n, D]`,
/// x `[n, 52]`, and the global batch size the losses are divided by.
public struct GANBatch: Sendable {
    public var rows: [Int]
    public var theta: Tensor
    public var x: Tensor
    public var globalCount: Int

    public init(rows: [Int], theta: Tensor, x: Tensor, globalCount: Int) {
        self.rows = rows
        self.theta = theta
        self.x = x
        self.globalCount = globalCount
    }
}
