/// How ``GANTrainer`` trains: DCGAN's Adam settings by default (lr 2·10⁻⁴, β₁ = 0.5; Radford et al. 2016, §4).
public struct GANTrainingOptions: Codable, Sendable, Equatable {
    public var epochs: Int = 20
    /// Rows per global batch (split across workers).
    public var batchSize: Int = 128
    /// Adam's step size, for both networks.
    public var learningRate: Float = 2e-4
    public var beta1: Float = 0.5
    public var beta2: Float = 0.999
    /// Seeds the latent draws, the batch shuffle and the split.
    public var seed: UInt64 = 0
    /// Rows held out exactly as the flow trainer's split holds them out (same seed, same fraction), so that the
    /// GAN never trains on rows a flow trained with the same options validates on.
    public var validationFraction: Double = 0.1
    /// Chunks pooled per shuffle of the batch stream.
    public var shuffleBufferChunks: Int = 8

    public init() {}

    func validate(workers: Int) throws {
        guard epochs > 0 else { throw ExoGANError.invalidOption(name: "epochs", reason: "must be positive, got \(epochs)") }
        guard batchSize >= 2 * workers else {
            throw ExoGANError.invalidOption(name: "batchSize", reason: "needs at least 2 rows per worker (\(workers) workers), got \(batchSize)")
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw ExoGANError.invalidOption(name: "learningRate", reason: "must be positive, got \(learningRate)")
        }
        guard (0..<1).contains(beta1), (0..<1).contains(beta2) else {
            throw ExoGANError.invalidOption(name: "beta1/beta2", reason: "must lie in [0, 1), got \(beta1), \(beta2)")
        }
        guard (0..<1).contains(validationFraction) else {
            throw ExoGANError.invalidOption(name: "validationFraction", reason: "must lie in [0, 1), got \(validationFraction)")
        }
    }
}

/// One epoch of GAN training, averaged over its rows (a JSON line of the metrics log).
public struct GANEpochMetrics: Codable, Sendable, Equatable {
    public var epoch: Int
    /// −log D(x) − log(1 − D(G(z))), the discriminator's binary cross-entropy (2 log 2 ≈ 1.386 at equilibrium).
    public var discriminatorLoss: Double
    /// −log D(G(z)), the generator's non-saturating loss (log 2 ≈ 0.693 at equilibrium).
    public var generatorLoss: Double
    /// Mean D(x) on real images (0.5 at equilibrium; near 1 means the discriminator wins).
    public var realScore: Double
    /// Mean D(G(z)) on generated images before the discriminator's step (0.5 at equilibrium).
    public var fakeScore: Double
    public var rows: Int
    public var seconds: Double
    public var samplesPerSecond: Double
}
