import NPETraining
import NPEYAML
import Yams

/// The `exogan:` section of the training configuration: settings of `npe-train --kind exogan` (see
/// `docs/exogan.md`), owned here, beside the GAN it configures (``TrainingConfigurationSection``).
///
/// The epoch budget, seed, validation fraction and shuffle buffer come from `training:`; the batch size and
/// learning rate here replace `training:`'s for the GAN, whose DCGAN defaults differ from the flow's. Read it with
/// `configuration.sections[ExoGANConfiguration.self]`.
public struct ExoGANConfiguration: TrainingConfigurationSection {
    public static let key = "exogan"

    /// L, the generator's latent dimension.
    public var latentDimension = 32
    /// c, the channel width of both networks (the generator's first stage has 4c channels).
    public var baseChannels = 16
    /// Decades of log₁₀ depth added on each side of the training spectra's range in the normalisation strips.
    public var marginDex = 0.5
    /// The global batch (DCGAN's 128 by default; `--batch-size` replaces it under `--kind exogan`).
    public var batchSize = 128
    /// Adam's step size for both networks (DCGAN: 2·10⁻⁴; `--learning-rate` replaces it).
    public var learningRate: Float = 2e-4
    /// Adam's β₁ (DCGAN: 0.5) and β₂.
    public var beta1: Float = 0.5
    public var beta2: Float = 0.999
    /// Retrieval defaults stored in the card for `npe-infer`: restarts per target (the posterior samples),
    /// Adam steps on z per restart, and the perceptual-loss weight λ.
    public var restarts = 64
    public var iterations = 300
    public var perceptualWeight: Float = 0.1

    public init() {}

    public mutating func read(_ node: Node, at path: String, reader: YAMLNodeReader) throws {
        let known = ["latent_dimension", "base_channels", "margin_dex", "batch_size", "learning_rate", "beta1", "beta2",
                     "restarts", "iterations", "perceptual_weight"]
        try reader.entries(node, path, known: known) { key, value, path in
            switch key {
            case "latent_dimension": latentDimension = try reader.integer(value, path)
            case "base_channels": baseChannels = try reader.integer(value, path)
            case "margin_dex": marginDex = try reader.number(Double.self, value, path)
            case "batch_size": batchSize = try reader.integer(value, path)
            case "learning_rate": learningRate = try reader.number(Float.self, value, path)
            case "beta1": beta1 = try reader.number(Float.self, value, path)
            case "beta2": beta2 = try reader.number(Float.self, value, path)
            case "restarts": restarts = try reader.integer(value, path)
            case "iterations": iterations = try reader.integer(value, path)
            default: perceptualWeight = try reader.number(Float.self, value, path)
            }
        }
    }

    public func validate(_ fail: (String, Any, String) -> TrainingConfigurationError) throws {
        guard latentDimension >= 1 else { throw fail("exogan.latent_dimension", latentDimension, "an integer ≥ 1") }
        guard baseChannels >= 1 else { throw fail("exogan.base_channels", baseChannels, "an integer ≥ 1") }
        guard marginDex >= 0, marginDex.isFinite else { throw fail("exogan.margin_dex", marginDex, "a number ≥ 0") }
        guard batchSize >= 2 else { throw fail("exogan.batch_size", batchSize, "an integer ≥ 2") }
        guard learningRate > 0, learningRate.isFinite else {
            throw fail("exogan.learning_rate", learningRate, "a positive number")
        }
        guard (0..<1).contains(beta1) else { throw fail("exogan.beta1", beta1, "a number in [0, 1)") }
        guard (0..<1).contains(beta2) else { throw fail("exogan.beta2", beta2, "a number in [0, 1)") }
        guard restarts >= 1 else { throw fail("exogan.restarts", restarts, "an integer ≥ 1") }
        guard iterations >= 0 else { throw fail("exogan.iterations", iterations, "an integer ≥ 0") }
        guard perceptualWeight >= 0, perceptualWeight.isFinite else {
            throw fail("exogan.perceptual_weight", perceptualWeight, "a number ≥ 0")
        }
    }
}

extension TrainingConfiguration {
    /// The `exogan:` section (its defaults when the configuration was made without it).
    public var exogan: ExoGANConfiguration {
        get { sections[ExoGANConfiguration.self] }
        set { sections[ExoGANConfiguration.self] = newValue }
    }
}
