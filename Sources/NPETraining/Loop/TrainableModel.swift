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
    /// `[n, M]`, 1 for an observed bin and 0 for one mask augmentation removed; nil without mask augmentation.
    public var observed: Tensor?

    public init(theta: Tensor, x: Tensor, sigma: Tensor?, context: Tensor?, observed: Tensor? = nil) {
        self.theta = theta
        self.x = x
        self.sigma = sigma
        self.context = context
        self.observed = observed
    }
}

/// A network the trainer can fit: its parameters, and its own summed negative log-likelihood over a batch slice
/// (what ``MaximumLikelihood`` minimises).
///
/// The loss is the sum over rows (not the mean): each worker's sum is divided by the global batch size, so the
/// all-reduced gradient is the global mean whatever the number of workers.
public protocol TrainableModel: Module {
    func summedLoss(_ inputs: TrainingInputs) throws -> Variable
}

/// A conditional density q(θ | x): what losses other than maximum likelihood need, such as the atomic APT loss,
/// which evaluates q at θ's of other rows (atoms).
public protocol ConditionalDensityModel: TrainableModel {
    /// log q(θ | x, σ, context) `[n]`, one per row of `inputs`, recorded for backpropagation.
    func recordedLogDensity(_ inputs: TrainingInputs) throws -> Variable
}
