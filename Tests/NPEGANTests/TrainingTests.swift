import Foundation
import NPEParallel
import NPETensor
import Testing
@testable import NPEGAN

/// Two thread workers on halves of each batch apply identical all-reduced steps, so their replicas (weights and
/// averaged running statistics) are bit-identical after an epoch, and the metrics agree.
@Test func threadWorkersKeepIdenticalReplicas() throws {
    Engine.configure(blasThreads: 1)  // two workers on two cores; BLAS threads would only contend
    let (theta, x) = try ToyProblem.rows(256, seed: 21)
    var options = GANTrainingOptions()
    options.batchSize = 32
    let results = try ThreadCommunicatorGroup(size: 2).run { communicator -> ([String: Tensor], GANEpochMetrics) in
        let model = try ExoGANModel(architecture: ToyProblem.architecture(), seed: 5)
        let trainer = try GANTrainer(model: model, options: options, communicator: communicator)
        let batches = InMemoryBatches(theta: theta, x: x, batchSize: 32, epoch: 0, rank: communicator.rank, workers: 2)
        let metrics = try trainer.trainEpoch(0, next: batches.next)
        return (model.parameterDictionary(), metrics)
    }
    #expect(results[0].0 == results[1].0)
    #expect(results[0].1.discriminatorLoss == results[1].1.discriminatorLoss)
    #expect(results[0].1.rows == 256)
}

/// A diverging step is caught: a NaN planted in the discriminator's weights makes the loss NaN and training
/// stops with a typed error naming the epoch and step.
@Test func nonFiniteLossIsReported() throws {
    let (theta, x) = try ToyProblem.rows(64, seed: 22)
    let model = try ExoGANModel(architecture: ToyProblem.architecture(), seed: 6)
    var poisoned = model.discriminator.classify.weight.value
    poisoned[scalarAt: 0] = .nan
    try model.discriminator.classify.weight.assign(poisoned)
    var options = GANTrainingOptions()
    options.batchSize = 32
    let trainer = try GANTrainer(model: model, options: options)
    let batches = InMemoryBatches(theta: theta, x: x, batchSize: 32, epoch: 0)
    #expect(throws: ExoGANError.self) { try trainer.trainEpoch(0, next: batches.next) }
    do {
        _ = try trainer.trainEpoch(0, next: InMemoryBatches(theta: theta, x: x, batchSize: 32, epoch: 0).next)
    } catch let ExoGANError.nonFiniteLoss(epoch, step, which, _) {
        #expect(epoch == 0 && step == 0 && which == "discriminator")
    }
}
