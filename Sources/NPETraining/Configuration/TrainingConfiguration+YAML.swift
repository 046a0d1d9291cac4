import Foundation
import NPEFlows
import NPENN
import NPEYAML
import Yams

extension TrainingConfiguration {
    /// Reads, validates and returns a YAML training configuration; keys left out keep their defaults.
    ///
    /// - Parameter sections: the model kinds' own sections the file may hold (``TrainingConfigurationSection``;
    ///   `npe-train` passes every registered kind's), each starting from its defaults.
    /// - Throws: ``TrainingConfigurationError`` naming the file, the line and the dotted key for an unreadable
    ///   file, invalid YAML, an unknown key (typos never pass silently) or an invalid value.
    public init(contentsOfYAML url: URL, sections: [any TrainingConfigurationSection.Type] = []) throws {
        let text = try YAMLNodeReader.text(of: url, error: ConfigurationYAMLReader.error(source: url.path))
        try self.init(yaml: text, source: url.path, sections: sections)
    }

    /// Parses and validates YAML text (see `docs/training.md` for the keys).
    public init(yaml text: String, source: String = "<string>", sections: [any TrainingConfigurationSection.Type] = []) throws {
        self.init(sections: sections)
        let reader = ConfigurationYAMLReader(source: source)
        // An empty file is the defaults.
        if let root = try reader.nodes.compose(text) { try reader.read(root, into: &self) }
        try validate(source: source, lines: reader.nodes.lines)
    }
}

/// Walks the node tree with the shared ``YAMLNodeReader``, turning each problem into a located
/// ``TrainingConfigurationError``.
private final class ConfigurationYAMLReader {
    let source: String
    let nodes: YAMLNodeReader

    init(source: String) {
        self.source = source
        nodes = YAMLNodeReader(source: source, error: Self.error(source: source))
    }

    /// The configuration's wording of each node problem.
    static func error(source: String) -> YAMLNodeReader.ErrorFactory {
        { path, line, problem in
            let mapped: TrainingConfigurationError.Problem
            switch problem {
            case let .unreadableFile(reason): mapped = .unreadableFile(reason)
            case let .invalidYAML(reason): mapped = .invalidYAML(reason)
            case .notAMapping: mapped = .notAMapping
            case .notAList: mapped = .notAList
            case .notAScalar: mapped = .notAScalar
            case let .unknownKey(_, known): mapped = .unknownKey(known: known)
            case let .duplicateKey(firstLine): mapped = .duplicateKey(firstLine: firstLine)
            case let .notAnInteger(text): mapped = .invalidValue(text, expected: "an integer")
            case let .notANumber(text): mapped = .invalidValue(text, expected: "a finite number")
            case let .notABoolean(text): mapped = .invalidValue(text, expected: "true or false")
            case let .notOneOf(text, allowed):
                mapped = .invalidValue(text, expected: "one of \(allowed.joined(separator: ", "))")
            }
            return TrainingConfigurationError(file: source, line: line, key: path, problem: mapped)
        }
    }

    func read(_ root: Node, into c: inout TrainingConfiguration) throws {
        let builtin = ["flow", "embedding", "noise", "noise_level_input", "mask_augmentation", "training"]
        try nodes.entries(root, "", known: builtin + c.sections.keys) { key, value, path in
            switch key {
            case "flow": try flow(value, path, into: &c.flow)
            case "embedding": try embedding(value, path, into: &c.embedding)
            case "noise": try noise(value, path, into: &c.noise)
            case "noise_level_input": c.noiseLevelInput = try nodes.isNull(value) ? nil : nodes.boolean(value, path)
            case "mask_augmentation":
                if nodes.isNone(value) {
                    c.maskAugmentation = nil
                } else {
                    var masking = TrainingConfiguration.Masking()
                    try self.masking(value, path, into: &masking)
                    c.maskAugmentation = masking
                }
            case "training": try training(value, path, into: &c.training, budget: &c.epochBudget, automaticSchedule: &c.automaticSchedule)
            // A model kind's own section, read by the kind's module.
            default: try c.sections.read(key, value, at: path, reader: nodes)
            }
        }
    }

    func flow(_ node: Node, _ at: String, into f: inout TrainingConfiguration.Flow) throws {
        try nodes.entries(node, at, known: ["kind", "transforms", "hidden_widths", "bins", "activation"]) { key, value, path in
            switch key {
            case "kind": f.kind = try nodes.choice(value, path, FlowArchitecture.Kind.self)
            case "transforms": f.transforms = try nodes.integer(value, path)
            case "hidden_widths": f.hiddenWidths = try nodes.integers(value, path)
            case "bins": f.bins = try nodes.integer(value, path)
            default: f.activation = try activation(value, path)
            }
        }
    }

    func embedding(_ node: Node, _ at: String, into e: inout TrainingConfiguration.Embedding) throws {
        let known = ["kind", "hidden_widths", "output", "channels", "blocks", "kernel_size", "activation"]
        try nodes.entries(node, at, known: known) { key, value, path in
            switch key {
            case "kind":
                e.kind = try nodes.choice(value, path, [("mlp", .mlp), ("residual_convolution", .residualConvolution),
                                                        ("residualConvolution", .residualConvolution), ("identity", .identity)])
            case "hidden_widths": e.hiddenWidths = try nodes.integers(value, path)
            case "output": e.output = try nodes.integer(value, path)
            case "channels": e.channels = try nodes.integer(value, path)
            case "blocks": e.blocks = try nodes.integer(value, path)
            case "kernel_size": e.kernelSize = try nodes.integer(value, path)
            default: e.activation = try activation(value, path)
            }
        }
    }

    func noise(_ node: Node, _ at: String, into n: inout TrainingConfiguration.Noise) throws {
        try nodes.entries(node, at, known: ["model", "transits", "scale_range"]) { key, value, path in
            switch key {
            case "model": n.model = try nodes.choice(value, path, TrainingConfiguration.Noise.Model.self)
            case "transits": n.transits = try nodes.integer(value, path)
            default:
                if nodes.isNone(value) {
                    n.scaleRange = nil
                } else {
                    let bounds = try nodes.list(value, path).map { try nodes.number(Float.self, $0, path) }
                    guard bounds.count == 2, bounds[0] > 0, bounds[0] <= bounds[1], bounds[1].isFinite else {
                        throw fail(path, value, .invalidValue("\(bounds)", expected: "[low, high] with 0 < low ≤ high"))
                    }
                    n.scaleRange = bounds[0]...bounds[1]
                }
            }
        }
    }

    /// `{probability: p, segments: ariel | none | [[first, last], ...], segment_probability: q, random_bins: r}`.
    func masking(_ node: Node, _ at: String, into k: inout TrainingConfiguration.Masking) throws {
        try nodes.entries(node, at, known: ["probability", "segments", "segment_probability", "random_bins"]) { key, value, path in
            switch key {
            case "probability": k.probability = try nodes.number(Double.self, value, path)
            case "segment_probability": k.segmentProbability = try nodes.number(Double.self, value, path)
            case "random_bins": k.randomBins = try nodes.number(Double.self, value, path)
            default:
                if value.scalar != nil {
                    k.segments = try nodes.choice(value, path, [("ariel", .ariel), ("none", .noSegments)])
                } else {
                    let ranges = try nodes.list(value, path).map { item -> InstrumentSegment in
                        let bounds = try nodes.integers(item, path)
                        guard bounds.count == 2, bounds[0] >= 0, bounds[0] <= bounds[1] else {
                            throw fail(path, item, .invalidValue("\(bounds)", expected: "[first, last] bin indices with 0 ≤ first ≤ last"))
                        }
                        return InstrumentSegment(name: "bins \(bounds[0])–\(bounds[1])", first: bounds[0], last: bounds[1])
                    }
                    guard !ranges.isEmpty else { throw fail(path, value, .invalidValue("[]", expected: "ariel, none or a non-empty list of [first, last]")) }
                    k.segments = .bins(ranges)
                }
            }
        }
    }

    func training(_ node: Node, _ at: String, into o: inout TrainingOptions, budget: inout EpochBudget,
                  automaticSchedule: inout Bool) throws {
        let known = ["batch_size", "learning_rate", "schedule", "weight_decay", "gradient_clip", "epochs", "patience",
                     "validation_fraction", "shuffle_buffer_chunks", "outlier_limit", "seed"]
        try nodes.entries(node, at, known: known) { key, value, path in
            switch key {
            case "batch_size": o.batchSize = try nodes.integer(value, path)
            case "learning_rate": o.learningRate = try nodes.number(Float.self, value, path)
            case "schedule":
                if value.scalar?.string.lowercased() == "auto" {
                    automaticSchedule = true
                } else {
                    o.schedule = try schedule(value, path)
                    automaticSchedule = false
                }
            case "weight_decay": o.weightDecay = try nodes.number(Float.self, value, path)
            case "gradient_clip":
                o.gradientClipNorm = try nodes.isNone(value) ? nil : nodes.number(Float.self, value, path)
            case "epochs":
                if value.scalar?.string.lowercased() == "auto" {
                    budget = .automatic
                } else {
                    let text = try nodes.scalar(value, path)
                    guard let epochs = Int(text) else {
                        throw fail(path, value, .invalidValue(text, expected: "auto or an integer ≥ 1"))
                    }
                    o.epochs = epochs
                    budget = .fixed(epochs)
                }
            case "patience": o.patience = try nodes.integer(value, path)
            case "validation_fraction": o.validationFraction = try nodes.number(Double.self, value, path)
            case "shuffle_buffer_chunks": o.shuffleBufferChunks = try nodes.integer(value, path)
            case "outlier_limit":
                o.outlierLimit = try nodes.isNone(value) ? nil : nodes.number(Float.self, value, path)
            default:
                guard let text = value.scalar?.string, let seed = UInt64(text) else {
                    throw fail(path, value, .invalidValue(value.scalar?.string ?? "", expected: "an integer ≥ 0"))
                }
                o.seed = seed
            }
        }
    }

    /// `constant`, `cosine`, `plateau`, or a mapping `{kind: cosine, minimum: 1e-5}` /
    /// `{kind: plateau, factor: 0.5, patience: 5, minimum: 1e-6}`.
    func schedule(_ node: Node, _ at: String) throws -> ScheduleKind {
        enum Kind: String, CaseIterable { case constant, cosine, plateau }
        let kinds = Kind.allCases.map { ($0.rawValue, $0) }
        var kind: Kind
        var minimum: Float?, factor: Float = 0.5, patience = 5
        if node.scalar != nil {
            kind = try nodes.choice(node, at, kinds)
        } else {
            guard let mapping = node.mapping else { throw fail(at, node, .notAMapping) }
            guard let kindNode = mapping.first(where: { $0.key.scalar?.string == "kind" })?.value else {
                throw fail("\(at).kind", node, .invalidValue("", expected: "kind: constant, cosine or plateau"))
            }
            kind = try nodes.choice(kindNode, "\(at).kind", kinds)
            let known = kind == .plateau ? ["kind", "factor", "patience", "minimum"] : kind == .cosine ? ["kind", "minimum"] : ["kind"]
            try nodes.entries(node, at, known: known) { key, value, path in
                switch key {
                case "kind": break
                case "factor": factor = try nodes.number(Float.self, value, path)
                case "patience": patience = try nodes.integer(value, path)
                default: minimum = try nodes.number(Float.self, value, path)
                }
            }
        }
        switch kind {
        case .constant: return .constant
        case .cosine: return .cosine(minimum: minimum ?? 1e-5)
        case .plateau: return .plateau(factor: factor, patience: patience, minimum: minimum ?? 1e-6)
        }
    }

    func fail(_ key: String, _ node: Node, _ problem: TrainingConfigurationError.Problem) -> TrainingConfigurationError {
        TrainingConfigurationError(file: source, line: nodes.line(node), key: key, problem: problem)
    }

    func activation(_ node: Node, _ at: String) throws -> Activation { try nodes.choice(node, at, Activation.self) }
}
