import NPENN
import NPETraining
import NPEYAML
import Yams

extension FlexAREConfiguration: TrainingConfigurationSection {
    public static var key: String { sectionKey }

    public mutating func read(_ node: Node, at path: String, reader: YAMLNodeReader) throws {
        try reader.entries(node, path, known: ["denoiser", "imputer"]) { key, value, path in
            if key == "denoiser" { try Self.read(value, path, reader, into: &denoiser) } else { try Self.read(value, path, reader, into: &imputer) }
        }
    }

    static func read(_ node: Node, _ at: String, _ reader: YAMLNodeReader, into d: inout Denoiser) throws {
        let known = ["hidden_widths", "latent", "activation", "instance_normalization", "learning_rate", "batch_size"]
        try reader.entries(node, at, known: known) { key, value, path in
            switch key {
            case "hidden_widths": d.hiddenWidths = try reader.integers(value, path)
            case "latent": d.latent = try reader.integer(value, path)
            case "activation": d.activation = try reader.choice(value, path, Activation.self)
            case "instance_normalization": d.instanceNormalization = try reader.boolean(value, path)
            case "learning_rate": d.learningRate = try reader.number(Float.self, value, path)
            default: d.batchSize = try reader.integer(value, path)
            }
        }
    }

    static func read(_ node: Node, _ at: String, _ reader: YAMLNodeReader, into i: inout Imputer) throws {
        let known = ["channels", "residual_blocks", "kernel_size", "activation", "discriminator_widths", "learning_rate",
                     "beta1", "beta2", "batch_size", "pretrain_epochs", "segment_probability", "hint_rate", "l1_weight",
                     "adversarial_weight", "continuity_weight", "physics_weight", "noisy_inputs"]
        try reader.entries(node, at, known: known) { key, value, path in
            switch key {
            case "channels": i.channels = try reader.integer(value, path)
            case "residual_blocks": i.residualBlocks = try reader.integer(value, path)
            case "kernel_size": i.kernelSize = try reader.integer(value, path)
            case "activation": i.activation = try reader.choice(value, path, Activation.self)
            case "discriminator_widths": i.discriminatorWidths = try reader.integers(value, path)
            case "learning_rate": i.learningRate = try reader.number(Float.self, value, path)
            case "beta1": i.beta1 = try reader.number(Float.self, value, path)
            case "beta2": i.beta2 = try reader.number(Float.self, value, path)
            case "batch_size": i.batchSize = try reader.integer(value, path)
            case "pretrain_epochs": i.pretrainEpochs = try reader.integer(value, path)
            case "segment_probability": i.segmentProbability = try reader.number(Double.self, value, path)
            case "hint_rate": i.hintRate = try reader.number(Double.self, value, path)
            case "l1_weight": i.l1Weight = try reader.number(Float.self, value, path)
            case "adversarial_weight": i.adversarialWeight = try reader.number(Float.self, value, path)
            case "continuity_weight": i.continuityWeight = try reader.number(Float.self, value, path)
            case "physics_weight": i.physicsWeight = try reader.number(Float.self, value, path)
            default: i.noisyInputs = try reader.boolean(value, path)
            }
        }
    }

    /// Range checks, naming the first bad dotted key (`flexare.imputer.hint_rate`).
    public func validate(_ fail: (String, Any, String) -> TrainingConfigurationError) throws {
        let d = denoiser, i = imputer
        guard !d.hiddenWidths.isEmpty, d.hiddenWidths.allSatisfy({ $0 >= 1 }) else {
            throw fail("flexare.denoiser.hidden_widths", d.hiddenWidths, "a non-empty list of integers ≥ 1")
        }
        guard d.latent >= 1 else { throw fail("flexare.denoiser.latent", d.latent, "an integer ≥ 1") }
        guard d.learningRate > 0, d.learningRate.isFinite else { throw fail("flexare.denoiser.learning_rate", d.learningRate, "a positive number") }
        guard d.batchSize >= 1 else { throw fail("flexare.denoiser.batch_size", d.batchSize, "an integer ≥ 1") }
        guard i.channels >= 1 else { throw fail("flexare.imputer.channels", i.channels, "an integer ≥ 1") }
        guard i.residualBlocks >= 0 else { throw fail("flexare.imputer.residual_blocks", i.residualBlocks, "an integer ≥ 0") }
        guard i.kernelSize >= 1, i.kernelSize % 2 == 1 else { throw fail("flexare.imputer.kernel_size", i.kernelSize, "an odd integer ≥ 1") }
        guard i.discriminatorWidths.allSatisfy({ $0 >= 1 }) else {
            throw fail("flexare.imputer.discriminator_widths", i.discriminatorWidths, "a list of integers ≥ 1")
        }
        guard i.learningRate > 0, i.learningRate.isFinite else { throw fail("flexare.imputer.learning_rate", i.learningRate, "a positive number") }
        guard (0..<1).contains(i.beta1) else { throw fail("flexare.imputer.beta1", i.beta1, "a number in [0, 1)") }
        guard (0..<1).contains(i.beta2) else { throw fail("flexare.imputer.beta2", i.beta2, "a number in [0, 1)") }
        guard i.batchSize >= 1 else { throw fail("flexare.imputer.batch_size", i.batchSize, "an integer ≥ 1") }
        guard i.pretrainEpochs >= 0 else { throw fail("flexare.imputer.pretrain_epochs", i.pretrainEpochs, "an integer ≥ 0") }
        guard i.segmentProbability > 0, i.segmentProbability <= 1 else {
            throw fail("flexare.imputer.segment_probability", i.segmentProbability, "a number in (0, 1]")
        }
        guard (0...1).contains(i.hintRate) else { throw fail("flexare.imputer.hint_rate", i.hintRate, "a number in [0, 1]") }
        for (key, weight) in [("l1_weight", i.l1Weight), ("adversarial_weight", i.adversarialWeight),
                              ("continuity_weight", i.continuityWeight), ("physics_weight", i.physicsWeight)]
        where !(weight >= 0 && weight.isFinite) {
            throw fail("flexare.imputer.\(key)", weight, "a number ≥ 0")
        }
    }

    /// ``validate(_:)`` outside a configuration file (a card read back), the problem as a located
    /// ``NPETraining/TrainingConfigurationError`` without a file.
    public func validate() throws {
        try validate { key, value, expected in
            TrainingConfigurationError(file: "", key: key, problem: .invalidValue("\(value)", expected: expected))
        }
    }
}

extension TrainingConfiguration {
    /// The `flexare:` section (its defaults when the configuration was made without it).
    public var flexare: FlexAREConfiguration {
        get { sections[FlexAREConfiguration.self] }
        set { sections[FlexAREConfiguration.self] = newValue }
    }
}
