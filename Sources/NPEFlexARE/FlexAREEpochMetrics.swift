/// One finished epoch of a FlexARE run (a line of the published `metrics.jsonl`).
public struct FlexAREEpochMetrics: Codable, Equatable, Sendable {
    public var epoch: Int
    /// `train` (denoiser), `pretrain` or `adversarial` (imputer).
    public var phase: String
    /// The network's training loss per row (the denoiser's mean squared error per bin, the imputer generator's
    /// weighted total per bin), in standardised units.
    public var trainingLoss: Double
    /// The imputer's terms per row and bin, unweighted (nil for the denoiser).
    public var l1: Double?
    public var adversarial: Double?
    public var continuity: Double?
    public var physics: Double?
    /// The discriminator's loss per row and bin (adversarial epochs only).
    public var discriminatorLoss: Double?
    /// On the validation split (noise and masks of epoch 0, so epochs compare): reconstruction RMSE on the
    /// envelope scale over the bins that count (every bin for the denoiser, the imputed ones for the imputer)
    /// and 1 − RMSE (``ReconstructionAccuracy``), and the RMSE in ppm.
    public var validationRMSE: Double
    public var validationAccuracy: Double
    public var validationRMSEPPM: Double
    public var rows: Int
    public var seconds: Double
    public var samplesPerSecond: Double
}
