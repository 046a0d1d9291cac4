extension TrainingConfiguration {
    /// The `exogan:` section: settings of `npe-train --kind exogan` (the ExoGAN baseline in NPEGAN; see
    /// `docs/exogan.md`). Plain values only, so NPETraining knows nothing of the GAN's types. The epoch budget,
    /// seed, validation fraction and shuffle buffer come from `training:`; the batch size and learning rate here
    /// replace `training:`'s for the GAN, whose DCGAN defaults differ from the flow's.
    public struct ExoGAN: Codable, Equatable, Sendable {
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
    }

    /// Range checks of the `exogan:` section (part of ``validate(source:)``).
    func validateExoGAN(_ fail: (String, Any, String) -> TrainingConfigurationError) throws {
        let g = exogan
        guard g.latentDimension >= 1 else { throw fail("exogan.latent_dimension", g.latentDimension, "an integer ≥ 1") }
        guard g.baseChannels >= 1 else { throw fail("exogan.base_channels", g.baseChannels, "an integer ≥ 1") }
        guard g.marginDex >= 0, g.marginDex.isFinite else { throw fail("exogan.margin_dex", g.marginDex, "a number ≥ 0") }
        guard g.batchSize >= 2 else { throw fail("exogan.batch_size", g.batchSize, "an integer ≥ 2") }
        guard g.learningRate > 0, g.learningRate.isFinite else {
            throw fail("exogan.learning_rate", g.learningRate, "a positive number")
        }
        guard (0..<1).contains(g.beta1) else { throw fail("exogan.beta1", g.beta1, "a number in [0, 1)") }
        guard (0..<1).contains(g.beta2) else { throw fail("exogan.beta2", g.beta2, "a number in [0, 1)") }
        guard g.restarts >= 1 else { throw fail("exogan.restarts", g.restarts, "an integer ≥ 1") }
        guard g.iterations >= 0 else { throw fail("exogan.iterations", g.iterations, "an integer ≥ 0") }
        guard g.perceptualWeight >= 0, g.perceptualWeight.isFinite else {
            throw fail("exogan.perceptual_weight", g.perceptualWeight, "a number ≥ 0")
        }
    }
}
