import NPEFlows
import NPENN

/// Everything `npe-train` needs besides the dataset: the network, the training noise and the optimisation
/// settings. Typed throughout (no string-keyed bags); read from YAML with ``init(contentsOfYAML:)`` (every key is
/// documented in `docs/training.md`), and stored in the model card as the training record.
///
/// Precedence: the defaults below, then the config file, then command-line flags (``applying(_:)``).
///
/// The defaults target the ARIEL model (7 θ, 2 context inputs, 52 bins, Ariel MCS per-target noise with the
/// noise level as an input); `docs/training.md` records the experiment they come from.
public struct TrainingConfiguration: Encodable, Equatable, Sendable {
    /// The conditional flow on θ.
    public struct Flow: Codable, Equatable, Sendable {
        // The coupling spline samples in one network pass per transform (the autoregressive one needs D passes) and
        // matched its accuracy on ARIEL (docs/flows.md, "Coupling (nsfc) vs autoregressive (nsf)"), so bulk inference gets it.
        public var kind: FlowArchitecture.Kind = .nsfc
        /// Autoregressive or coupling layers.
        public var transforms = 5
        /// Hidden widths of each layer's conditioner.
        public var hiddenWidths = [64, 64]
        /// Spline bins (NSF kinds).
        public var bins = 10
        public var activation: Activation = .relu
        public init() {}
    }

    /// The embedding network that compresses (x, σ) into the flow's context.
    public struct Embedding: Codable, Equatable, Sendable {
        public var kind: EmbeddingArchitecture.Kind = .mlp
        /// MLP hidden widths (residual convolution: the width of its final dense layer, first entry).
        public var hiddenWidths = [128, 128]
        /// The context width it produces (ignored by `identity`).
        public var output = 32
        /// Residual convolution only: channels, blocks and kernel size.
        public var channels = 16
        public var blocks = 3
        public var kernelSize = 3
        public var activation: Activation = .relu
        public init() {}

        /// The NPEFlows description.
        public var architecture: EmbeddingArchitecture {
            kind == .identity ? .identity
                : EmbeddingArchitecture(kind: kind, hiddenWidths: hiddenWidths, outputCount: output,
                                        activation: activation, channels: channels, blocks: blocks,
                                        kernelSize: kernelSize)
        }
    }

    /// Which noise training adds to the (noise-free) spectra, drawn afresh every epoch.
    public struct Noise: Codable, Equatable, Sendable {
        public enum Model: String, Codable, Sendable, CaseIterable {
            /// The dataset's declared noise when it declares one; otherwise the Ariel MCS per-target noise for
            /// datasets of the built-in ARIEL simulator; otherwise none (imported pairs get no noise unless asked).
            case automatic = "auto"
            /// No noise: the model sees x as stored.
            case none
            /// The noise model declared in the dataset (an error when it declares none).
            case dataset
            /// The 722 Ariel MCS known planets' per-target σ (52 ADC2023 bins), one target drawn per row and epoch.
            case arielMCS = "ariel-mcs"
        }
        public var model: Model = .automatic
        /// Transits co-added (σ₁/√N), for per-target tables.
        public var transits = 1
        /// Log-uniform range of an extra per-row factor on σ (noise-level conditioning); nil: factor 1.
        public var scaleRange: ClosedRange<Float>? = 0.5...2
        public init() {}
    }

    public var flow = Flow()
    public var embedding = Embedding()
    public var noise = Noise()
    /// Feed σ to the network beside x, so one model serves targets of any signal-to-noise. nil: on exactly when
    /// training adds noise.
    public var noiseLevelInput: Bool?
    /// Train a mask-aware estimator (missing bins as an input); nil: complete spectra only.
    public var maskAugmentation: Masking?
    /// Batch size, learning rate and schedule, weight decay, clipping, epochs, patience, validation fraction,
    /// shuffle buffer and seed.
    public var training = TrainingConfiguration.defaultOptions
    /// How many epochs training may run: until validation stops improving (`auto`, the default), or a fixed
    /// number (`training.epochs: N`, `--epochs N`). ``resolvingEpochBudget(rows:)`` turns it into `training.epochs`.
    public var epochBudget: EpochBudget = .automatic
    /// `training.schedule: auto` (the default): ``resolvingEpochBudget(rows:)`` picks the learning-rate schedule that
    /// suits the budget (``EpochBudget/automaticSchedule(budget:rows:)``); false once a schedule is given.
    public var automaticSchedule = true
    /// The model kinds' own sections (`exogan:`; ``TrainingConfigurationSection``), owned by the kinds' modules.
    public var sections = KindSections()

    /// The defaults, with the defaults of each given kind section.
    public init(sections: [any TrainingConfigurationSection.Type] = []) {
        self.sections = KindSections(sections)
    }

    /// The optimisation defaults: AdamW at 3e-3 with cosine decay to 1e-5, batch 256, clipping at 5, early stopping
    /// after 20 epochs without improvement (see `docs/training.md` for the experiment). `epochs` is the cap of a
    /// fixed budget only: the default ``epochBudget`` is automatic and replaces it with ``EpochBudget/cap(rows:)``.
    public static var defaultOptions: TrainingOptions {
        var options = TrainingOptions()
        options.epochs = 30
        options.batchSize = 256
        options.learningRate = 3e-3
        options.schedule = .cosine(minimum: 1e-5)
        options.weightDecay = 0
        options.gradientClipNorm = 5
        options.patience = 20
        options.validationFraction = 0.1
        options.shuffleBufferChunks = 8
        options.outlierLimit = 20
        options.seed = 0
        return options
    }

    /// Values given on the command line; each non-nil one replaces the config file's.
    public struct Overrides: Sendable, Equatable {
        public var epochs: Int?
        public var seed: UInt64?
        public var batchSize: Int?
        public var learningRate: Float?
        public init(epochs: Int? = nil, seed: UInt64? = nil, batchSize: Int? = nil, learningRate: Float? = nil) {
            self.epochs = epochs
            self.seed = seed
            self.batchSize = batchSize
            self.learningRate = learningRate
        }
    }

    /// A key of the encoded configuration: a built-in field's name or a kind section's key (the encoder's key
    /// strategy, snake case in the card, applies to both).
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The built-in fields as the synthesized conformance wrote them (nil optionals left out), then every kind
    /// section under its key, as if it were a field: the card's training record keeps its shape.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(flow, forKey: Key("flow"))
        try container.encode(embedding, forKey: Key("embedding"))
        try container.encode(noise, forKey: Key("noise"))
        try container.encodeIfPresent(noiseLevelInput, forKey: Key("noiseLevelInput"))
        try container.encodeIfPresent(maskAugmentation, forKey: Key("maskAugmentation"))
        try container.encode(training, forKey: Key("training"))
        try container.encode(epochBudget, forKey: Key("epochBudget"))
        try container.encode(automaticSchedule, forKey: Key("automaticSchedule"))
        try sections.encode(into: &container) { Key($0) }
    }

    /// This configuration with command-line values on top, validated again.
    ///
    /// - Throws: ``TrainingConfigurationError`` (file `<command line>`) for an invalid flag value.
    public func applying(_ overrides: Overrides) throws -> TrainingConfiguration {
        var result = self
        if let epochs = overrides.epochs {
            result.training.epochs = epochs
            result.epochBudget = .fixed(epochs)
        }
        if let seed = overrides.seed { result.training.seed = seed }
        if let batchSize = overrides.batchSize { result.training.batchSize = batchSize }
        if let learningRate = overrides.learningRate { result.training.learningRate = learningRate }
        try result.validate(source: "<command line>")
        return result
    }
}
