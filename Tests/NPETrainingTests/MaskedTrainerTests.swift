import Foundation
import NPESupport
import NPEData
import NPENN
import NPEParallel
import NPETensor
import Testing
@testable import NPETraining

/// ``Regressor`` that reads the mask: missing bins are zeroed, so the trajectory depends on every mask drawn.
final class MaskedRegressor: TrainableModel {
    let net: MLP
    init(seed: UInt64) throws { net = try MLP(sizes: [3, 16, 2], activation: .tanh, stream: RandomStream(seed: seed)) }
    var namedParameters: [(name: String, parameter: Variable)] { prefixed("net", net) }
    func summedLoss(_ inputs: TrainingInputs) throws -> Variable {
        guard let observed = inputs.observed else { throw TrainingError.emptySplit("no mask was passed") }
        let error = try net(Variable(inputs.x) * Variable(observed)) - Variable(inputs.theta)
        return try error.squared().sum()
    }
}

private func maskedOptions(epochs: Int) -> TrainingOptions {
    var o = TrainingOptions()
    o.epochs = epochs
    o.batchSize = 64
    o.learningRate = 3e-3
    o.validationFraction = 0.2
    o.patience = 100
    o.shuffleBufferChunks = 3
    o.seed = 17
    return o
}

private let masks = try! MaskAugmentation(
    binCount: 3, segments: [InstrumentSegment(name: "first", first: 0, last: 0), InstrumentSegment(name: "rest", first: 1, last: 2)],
    probability: 0.6, segmentProbability: 0.5, randomBinRate: 0.2, seed: 17)

@Test func maskedTrainingResumesBitForBit() throws {
    let data = try RegressionDataset()
    let noise = try NoiseAugmentation(sigma: [0.05, 0.05, 0.05], seed: 3)
    let o = maskedOptions(epochs: 5)
    let reference = try MaskedRegressor(seed: 2)
    let full = try Trainer(model: reference, options: o, reader: data.reader, noise: noise, mask: masks).run()
    // Masks change the trajectory: without them the same run ends elsewhere.
    let unmasked = try Regressor(seed: 2)
    _ = try Trainer(model: unmasked, options: o, reader: data.reader, noise: noise).run()
    #expect(unmasked.parameterDictionary() != reference.parameterDictionary())

    let checkpoint = data.directory.appendingPathComponent("masked/checkpoint.safetensors")
    let interrupted = Trainer(model: try MaskedRegressor(seed: 2), options: o, reader: data.reader, noise: noise,
                              checkpointURL: checkpoint, mask: masks)
    var steps = 0
    interrupted.shouldStop = { steps += 1; return steps > 2 * 15 + 4 }
    #expect(try interrupted.run().interrupted)
    // A checkpoint of a masked run does not resume without the masks (or with other ones).
    #expect(throws: TrainingError.self) {
        try Trainer(model: try MaskedRegressor(seed: 2), options: o, reader: data.reader, noise: noise, checkpointURL: checkpoint).run(resume: true)
    }
    var other = masks
    other.probability = 0.5
    #expect(throws: TrainingError.self) {
        try Trainer(model: try MaskedRegressor(seed: 2), options: o, reader: data.reader, noise: noise, checkpointURL: checkpoint,
                    mask: other).run(resume: true)
    }
    let resumedModel = try MaskedRegressor(seed: 99)
    let resumed = try Trainer(model: resumedModel, options: o, reader: data.reader, noise: noise, checkpointURL: checkpoint,
                              mask: masks).run(resume: true)
    #expect(resumed.history.map(\.validationLoss) == full.history.map(\.validationLoss))
    #expect(resumedModel.parameterDictionary() == reference.parameterDictionary())
}

@Test func maskedTrainingDoesNotDependOnTheWorkerCount() throws {
    let data = try RegressionDataset(rows: 800)
    let noise = try NoiseAugmentation(sigma: [0.05, 0.05, 0.05], seed: 3)
    let single = try Trainer(model: try MaskedRegressor(seed: 4), options: maskedOptions(epochs: 3), reader: data.reader,
                             noise: noise, mask: masks).run()
    let group = try ThreadCommunicatorGroup(size: 2)
    let results = try group.run { communicator in
        let reader = try TrainingDatasetReader(contentsOf: data.reader.url)
        return try Trainer(model: try MaskedRegressor(seed: 4), options: maskedOptions(epochs: 3), reader: reader, noise: noise,
                           communicator: communicator, mask: masks).run()
    }
    for (a, b) in zip(results[0].history, single.history) {
        // As for unmasked training: only the gradient's summation order differs (see threadWorkersMatchOneWorker).
        #expect(abs(a.trainingLoss - b.trainingLoss) <= 1e-3 * abs(b.trainingLoss))
        #expect(abs(a.validationLoss - b.validationLoss) <= 1e-3 * abs(b.validationLoss))
    }
}
