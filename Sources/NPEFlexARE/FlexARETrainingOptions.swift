/// The settings of a ``FlexARETrainer`` run: the budget, seed, split and shuffle from `training:`, the optimiser
/// and batch from the role's part of `flexare:`.
public struct FlexARETrainingOptions: Codable, Equatable, Sendable {
    public var epochs = 50
    public var seed: UInt64 = 0
    public var validationFraction = 0.1
    public var shuffleBufferChunks = 8
    /// The global batch; every worker takes its slice.
    public var batchSize = 128
    public var learningRate: Float = 1e-3
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    /// Imputer only: the first epochs train the generator without the adversarial term.
    public var pretrainEpochs = 0

    public init() {}

    /// - Throws: ``FlexAREError/unusable(_:)`` for a batch smaller than the worker count or a bad budget.
    public func validate(workers: Int) throws {
        guard epochs >= 1 else { throw FlexAREError.unusable("the epoch budget must be ≥ 1 (got \(epochs))") }
        guard batchSize >= workers else {
            throw FlexAREError.unusable("the batch size \(batchSize) is smaller than the \(workers) workers; every worker needs a row")
        }
        guard validationFraction > 0, validationFraction < 1 else {
            throw FlexAREError.unusable("training.validation_fraction \(validationFraction) must lie in (0, 1): FlexARE runs report validation accuracy")
        }
    }
}
