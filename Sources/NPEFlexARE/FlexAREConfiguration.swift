import NPENN
import NPESupport

/// The `flexare:` section of a training configuration: the settings of `npe-train --kind denoiser` and
/// `--kind imputer` (`docs/flexare.md`), owned here as a ``NPETraining/TrainingConfigurationSection``. Read it with
/// `configuration.flexare`.
///
/// The defaults are the FlexARE report's winning settings: a dense denoising autoencoder with GELU, instance
/// normalisation, no dropout and learning rate 10⁻³; a U-Net imputer with 2 residual blocks, instance
/// normalisation, ReLU, learning rate 5·10⁻⁵ and 10 pre-training epochs. The epoch budget, seed, validation
/// fraction, shuffle buffer and outlier limit come from `training:`.
public struct FlexAREConfiguration: Codable, Equatable, Sendable {
    /// `flexare.denoiser`.
    public struct Denoiser: Codable, Equatable, Sendable {
        /// Encoder widths; the decoder mirrors them.
        public var hiddenWidths = [256, 128]
        /// The bottleneck width.
        public var latent = 32
        public var activation: Activation = .gelu
        /// Instance normalisation after every hidden linear map (one channel over the layer's features).
        public var instanceNormalization = true
        public var learningRate: Float = 1e-3
        public var batchSize = 128
        public init() {}
    }

    /// `flexare.imputer`.
    public struct Imputer: Codable, Equatable, Sendable {
        /// c: channels of the U-Net's first stage (2c and 4c below it).
        public var channels = 16
        public var residualBlocks = 2
        public var kernelSize = 3
        public var activation: Activation = .relu
        /// The discriminator's hidden widths (a dense GAIN discriminator on the spectrum and the hint).
        public var discriminatorWidths = [128, 128]
        public var learningRate: Float = 5e-5
        public var beta1: Float = 0.5
        public var beta2: Float = 0.999
        public var batchSize = 64
        /// Epochs of generator-only training (L1, continuity and physics terms) before the adversarial game.
        public var pretrainEpochs = 10
        /// The chance that each ADC2023 instrument segment is masked in a training row (at least one is kept
        /// and at least one is masked).
        public var segmentProbability = 0.5
        /// GAIN's hint rate: the share of bins whose mask the discriminator is told.
        public var hintRate = 0.9
        /// Loss weights: L = λ₁ L1 + λ_adv adversarial + λ_c continuity + λ_p physics.
        public var l1Weight: Float = 1
        public var adversarialWeight: Float = 0.05
        public var continuityWeight: Float = 1
        public var physicsWeight: Float = 1
        /// Add the declared training noise to the imputer's input (the observed bins of a real target are noisy).
        public var noisyInputs = true
        public init() {}
    }

    public var denoiser = Denoiser()
    public var imputer = Imputer()

    /// The section's key in the configuration file.
    public static let sectionKey = "flexare"

    public init() {}
}
