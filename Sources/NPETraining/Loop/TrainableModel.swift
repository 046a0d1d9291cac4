import NPENN
import NPETensor

/// What the trainer feeds a model: one worker's slice of a batch, after noise augmentation.
public struct TrainingInputs {
    /// `[n, D]`, the parameters as stored in the dataset.
    public var theta: Tensor
    /// `[n, M]`, noisy spectra.
    public var x: Tensor
    /// `[n, M]`, the per-row σ the noise was drawn with (for noise-level conditioning); nil without noise.
    public var sigma: Tensor?
    /// `[n, A]`, auxiliary context inputs.
    public var context: Tensor?
}

/// A network the trainer can fit: its parameters, and the summed loss over a batch slice.
///
/// The loss is the sum over rows (not the mean): each worker's sum is divided by the global batch size, so the
/// all-reduced gradient is the global mean whatever the number of workers.
public protocol TrainableModel: Module {
    func summedLoss(_ inputs: TrainingInputs) throws -> Variable
}
