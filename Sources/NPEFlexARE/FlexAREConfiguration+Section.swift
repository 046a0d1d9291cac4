import NPENN
import NPESupport

extension FlexAREConfiguration {
    /// Reads the section (nil: all defaults), refusing unknown keys and out-of-range values.
    ///
    /// - Throws: ``FlexAREError/configuration(key:reason:)`` naming the dotted key (`flexare.imputer.hint_rate`).
    public init(section: JSONValue?) throws {
        self.init()
        guard let section, section != .null else { return }
        let reader = SectionReader()
        try reader.entries(section, "flexare", known: ["denoiser", "imputer"]) { key, value, path in
            if key == "denoiser" { try reader.denoiser(value, path, into: &denoiser) } else { try reader.imputer(value, path, into: &imputer) }
        }
        try validate()
    }

    /// The section as plain data, every key written (what `TrainingConfiguration.kindSections` and the card keep).
    public var section: JSONValue {
        let d = denoiser, i = imputer
        return [
            "denoiser": [
                "hidden_widths": .array(d.hiddenWidths.map { .number(Double($0)) }), "latent": .number(Double(d.latent)),
                "activation": .string(d.activation.rawValue), "instance_normalization": .bool(d.instanceNormalization),
                "learning_rate": .number(Double(d.learningRate)), "batch_size": .number(Double(d.batchSize)),
            ],
            "imputer": [
                "channels": .number(Double(i.channels)), "residual_blocks": .number(Double(i.residualBlocks)),
                "kernel_size": .number(Double(i.kernelSize)), "activation": .string(i.activation.rawValue),
                "discriminator_widths": .array(i.discriminatorWidths.map { .number(Double($0)) }),
                "learning_rate": .number(Double(i.learningRate)), "beta1": .number(Double(i.beta1)),
                "beta2": .number(Double(i.beta2)), "batch_size": .number(Double(i.batchSize)),
                "pretrain_epochs": .number(Double(i.pretrainEpochs)), "segment_probability": .number(i.segmentProbability),
                "hint_rate": .number(i.hintRate), "l1_weight": .number(Double(i.l1Weight)),
                "adversarial_weight": .number(Double(i.adversarialWeight)),
                "continuity_weight": .number(Double(i.continuityWeight)), "physics_weight": .number(Double(i.physicsWeight)),
                "noisy_inputs": .bool(i.noisyInputs),
            ],
        ]
    }

    /// Range checks, naming the first bad key.
    public func validate() throws {
        func fail(_ key: String, _ value: Any, _ expected: String) -> FlexAREError {
            .configuration(key: "flexare.\(key)", reason: "expected \(expected), got \(value)")
        }
        let d = denoiser, i = imputer
        guard !d.hiddenWidths.isEmpty, d.hiddenWidths.allSatisfy({ $0 >= 1 }) else {
            throw fail("denoiser.hidden_widths", d.hiddenWidths, "a non-empty list of integers ≥ 1")
        }
        guard d.latent >= 1 else { throw fail("denoiser.latent", d.latent, "an integer ≥ 1") }
        guard d.learningRate > 0, d.learningRate.isFinite else { throw fail("denoiser.learning_rate", d.learningRate, "a positive number") }
        guard d.batchSize >= 1 else { throw fail("denoiser.batch_size", d.batchSize, "an integer ≥ 1") }
        guard i.channels >= 1 else { throw fail("imputer.channels", i.channels, "an integer ≥ 1") }
        guard i.residualBlocks >= 0 else { throw fail("imputer.residual_blocks", i.residualBlocks, "an integer ≥ 0") }
        guard i.kernelSize >= 1, i.kernelSize % 2 == 1 else { throw fail("imputer.kernel_size", i.kernelSize, "an odd integer ≥ 1") }
        guard i.discriminatorWidths.allSatisfy({ $0 >= 1 }) else {
            throw fail("imputer.discriminator_widths", i.discriminatorWidths, "a list of integers ≥ 1")
        }
        guard i.learningRate > 0, i.learningRate.isFinite else { throw fail("imputer.learning_rate", i.learningRate, "a positive number") }
        guard (0..<1).contains(i.beta1) else { throw fail("imputer.beta1", i.beta1, "a number in [0, 1)") }
        guard (0..<1).contains(i.beta2) else { throw fail("imputer.beta2", i.beta2, "a number in [0, 1)") }
        guard i.batchSize >= 1 else { throw fail("imputer.batch_size", i.batchSize, "an integer ≥ 1") }
        guard i.pretrainEpochs >= 0 else { throw fail("imputer.pretrain_epochs", i.pretrainEpochs, "an integer ≥ 0") }
        guard i.segmentProbability > 0, i.segmentProbability <= 1 else {
            throw fail("imputer.segment_probability", i.segmentProbability, "a number in (0, 1]")
        }
        guard (0...1).contains(i.hintRate) else { throw fail("imputer.hint_rate", i.hintRate, "a number in [0, 1]") }
        for (key, weight) in [("l1_weight", i.l1Weight), ("adversarial_weight", i.adversarialWeight),
                              ("continuity_weight", i.continuityWeight), ("physics_weight", i.physicsWeight)]
        where !(weight >= 0 && weight.isFinite) {
            throw fail("imputer.\(key)", weight, "a number ≥ 0")
        }
    }
}

/// Walks the section's JSON values; every problem names its dotted key.
private struct SectionReader {
    func entries(_ value: JSONValue, _ at: String, known: [String], _ body: (String, JSONValue, String) throws -> Void) throws {
        guard case .object(let members) = value else { throw FlexAREError.configuration(key: at, reason: "expected a mapping") }
        for key in members.keys.sorted() {
            guard known.contains(key) else {
                throw FlexAREError.configuration(key: "\(at).\(key)", reason: "unknown key (known: \(known.joined(separator: ", ")))")
            }
            try body(key, members[key]!, "\(at).\(key)")
        }
    }

    func number(_ value: JSONValue, _ at: String) throws -> Double {
        guard case .number(let number) = value else { throw FlexAREError.configuration(key: at, reason: "expected a number, got \(value.compactText)") }
        return number
    }
    func float(_ value: JSONValue, _ at: String) throws -> Float { Float(try number(value, at)) }
    func integer(_ value: JSONValue, _ at: String) throws -> Int {
        let number = try number(value, at)
        guard number.rounded() == number, abs(number) < 1e9 else {
            throw FlexAREError.configuration(key: at, reason: "expected an integer, got \(value.compactText)")
        }
        return Int(number)
    }
    func integers(_ value: JSONValue, _ at: String) throws -> [Int] {
        guard case .array(let elements) = value else { throw FlexAREError.configuration(key: at, reason: "expected a list of integers") }
        return try elements.enumerated().map { try integer($1, "\(at)[\($0)]") }
    }
    func boolean(_ value: JSONValue, _ at: String) throws -> Bool {
        guard case .bool(let flag) = value else { throw FlexAREError.configuration(key: at, reason: "expected true or false, got \(value.compactText)") }
        return flag
    }
    func activation(_ value: JSONValue, _ at: String) throws -> Activation {
        guard case .string(let name) = value, let activation = Activation(rawValue: name) else {
            throw FlexAREError.configuration(
                key: at, reason: "expected one of \(Activation.allCases.map(\.rawValue).joined(separator: ", ")), got \(value.compactText)")
        }
        return activation
    }

    func denoiser(_ value: JSONValue, _ at: String, into d: inout FlexAREConfiguration.Denoiser) throws {
        let known = ["hidden_widths", "latent", "activation", "instance_normalization", "learning_rate", "batch_size"]
        try entries(value, at, known: known) { key, value, path in
            switch key {
            case "hidden_widths": d.hiddenWidths = try integers(value, path)
            case "latent": d.latent = try integer(value, path)
            case "activation": d.activation = try activation(value, path)
            case "instance_normalization": d.instanceNormalization = try boolean(value, path)
            case "learning_rate": d.learningRate = try float(value, path)
            default: d.batchSize = try integer(value, path)
            }
        }
    }

    func imputer(_ value: JSONValue, _ at: String, into i: inout FlexAREConfiguration.Imputer) throws {
        let known = ["channels", "residual_blocks", "kernel_size", "activation", "discriminator_widths", "learning_rate",
                     "beta1", "beta2", "batch_size", "pretrain_epochs", "segment_probability", "hint_rate", "l1_weight",
                     "adversarial_weight", "continuity_weight", "physics_weight", "noisy_inputs"]
        try entries(value, at, known: known) { key, value, path in
            switch key {
            case "channels": i.channels = try integer(value, path)
            case "residual_blocks": i.residualBlocks = try integer(value, path)
            case "kernel_size": i.kernelSize = try integer(value, path)
            case "activation": i.activation = try activation(value, path)
            case "discriminator_widths": i.discriminatorWidths = try integers(value, path)
            case "learning_rate": i.learningRate = try float(value, path)
            case "beta1": i.beta1 = try float(value, path)
            case "beta2": i.beta2 = try float(value, path)
            case "batch_size": i.batchSize = try integer(value, path)
            case "pretrain_epochs": i.pretrainEpochs = try integer(value, path)
            case "segment_probability": i.segmentProbability = try number(value, path)
            case "hint_rate": i.hintRate = try number(value, path)
            case "l1_weight": i.l1Weight = try float(value, path)
            case "adversarial_weight": i.adversarialWeight = try float(value, path)
            case "continuity_weight": i.continuityWeight = try float(value, path)
            case "physics_weight": i.physicsWeight = try float(value, path)
            default: i.noisyInputs = try boolean(value, path)
            }
        }
    }
}
