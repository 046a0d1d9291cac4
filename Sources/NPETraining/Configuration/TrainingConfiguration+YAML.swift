import Foundation
import NPEFlows
import NPENN
import Yams

extension TrainingConfiguration {
    /// Reads, validates and returns a YAML training configuration; keys left out keep their defaults.
    ///
    /// - Throws: ``TrainingConfigurationError`` naming the file, the line and the dotted key for an unreadable
    ///   file, invalid YAML, an unknown key (typos never pass silently) or an invalid value.
    public init(contentsOfYAML url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw TrainingConfigurationError(file: url.path, key: "", problem: .unreadableFile(error.localizedDescription))
        }
        try self.init(yaml: text, source: url.path)
    }

    /// Parses and validates YAML text (see `docs/training.md` for the keys).
    public init(yaml text: String, source: String = "<string>") throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw TrainingConfigurationError(file: source, key: "", problem: .invalidYAML(String(describing: error)))
        }
        self.init()
        let reader = ConfigurationYAMLReader(source: source)
        // An empty file is the defaults.
        if let root { try reader.read(root, into: &self) }
        try validate(source: source, lines: reader.lines)
    }
}

/// Walks the node tree, turning each problem into a located ``TrainingConfigurationError``.
private final class ConfigurationYAMLReader {
    let source: String
    /// The line of each key read, so range checks after parsing can point at it.
    var lines: [String: Int] = [:]

    init(source: String) { self.source = source }

    func read(_ root: Node, into c: inout TrainingConfiguration) throws {
        try entries(root, "", known: ["flow", "embedding", "noise", "noise_level_input", "mask_augmentation", "training", "exogan"]) { key, value, path in
            switch key {
            case "flow": try flow(value, path, into: &c.flow)
            case "embedding": try embedding(value, path, into: &c.embedding)
            case "noise": try noise(value, path, into: &c.noise)
            case "noise_level_input": c.noiseLevelInput = try isNull(value) ? nil : boolean(value, path)
            case "exogan": try exogan(value, path, into: &c.exogan)
            case "mask_augmentation":
                if try isNull(value) || value.scalar?.string.lowercased() == "none" {
                    c.maskAugmentation = nil
                } else {
                    var masking = TrainingConfiguration.Masking()
                    try self.masking(value, path, into: &masking)
                    c.maskAugmentation = masking
                }
            default: try training(value, path, into: &c.training, budget: &c.epochBudget, automaticSchedule: &c.automaticSchedule)
            }
        }
    }

    func flow(_ node: Node, _ at: String, into f: inout TrainingConfiguration.Flow) throws {
        try entries(node, at, known: ["kind", "transforms", "hidden_widths", "bins", "activation"]) { key, value, path in
            switch key {
            case "kind": f.kind = try choice(value, path, FlowArchitecture.Kind.allCases.map { ($0.rawValue, $0) })
            case "transforms": f.transforms = try integer(value, path)
            case "hidden_widths": f.hiddenWidths = try integers(value, path)
            case "bins": f.bins = try integer(value, path)
            default: f.activation = try activation(value, path)
            }
        }
    }

    func embedding(_ node: Node, _ at: String, into e: inout TrainingConfiguration.Embedding) throws {
        let known = ["kind", "hidden_widths", "output", "channels", "blocks", "kernel_size", "activation"]
        try entries(node, at, known: known) { key, value, path in
            switch key {
            case "kind":
                e.kind = try choice(value, path, [("mlp", .mlp), ("residual_convolution", .residualConvolution),
                                                  ("residualConvolution", .residualConvolution), ("identity", .identity)])
            case "hidden_widths": e.hiddenWidths = try integers(value, path)
            case "output": e.output = try integer(value, path)
            case "channels": e.channels = try integer(value, path)
            case "blocks": e.blocks = try integer(value, path)
            case "kernel_size": e.kernelSize = try integer(value, path)
            default: e.activation = try activation(value, path)
            }
        }
    }

    func noise(_ node: Node, _ at: String, into n: inout TrainingConfiguration.Noise) throws {
        try entries(node, at, known: ["model", "transits", "scale_range"]) { key, value, path in
            switch key {
            case "model": n.model = try choice(value, path, TrainingConfiguration.Noise.Model.allCases.map { ($0.rawValue, $0) })
            case "transits": n.transits = try integer(value, path)
            default:
                if try isNull(value) || value.scalar?.string.lowercased() == "none" {
                    n.scaleRange = nil
                } else {
                    let bounds = try list(value, path).map { try number(Float.self, $0, path) }
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
        try entries(node, at, known: ["probability", "segments", "segment_probability", "random_bins"]) { key, value, path in
            switch key {
            case "probability": k.probability = try number(Double.self, value, path)
            case "segment_probability": k.segmentProbability = try number(Double.self, value, path)
            case "random_bins": k.randomBins = try number(Double.self, value, path)
            default:
                if value.scalar != nil {
                    k.segments = try choice(value, path, [("ariel", .ariel), ("none", .noSegments)])
                } else {
                    let ranges = try list(value, path).map { item -> InstrumentSegment in
                        let bounds = try integers(item, path)
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

    func exogan(_ node: Node, _ at: String, into g: inout TrainingConfiguration.ExoGAN) throws {
        let known = ["latent_dimension", "base_channels", "margin_dex", "batch_size", "learning_rate", "beta1", "beta2",
                     "restarts", "iterations", "perceptual_weight"]
        try entries(node, at, known: known) { key, value, path in
            switch key {
            case "latent_dimension": g.latentDimension = try integer(value, path)
            case "base_channels": g.baseChannels = try integer(value, path)
            case "margin_dex": g.marginDex = try number(Double.self, value, path)
            case "batch_size": g.batchSize = try integer(value, path)
            case "learning_rate": g.learningRate = try number(Float.self, value, path)
            case "beta1": g.beta1 = try number(Float.self, value, path)
            case "beta2": g.beta2 = try number(Float.self, value, path)
            case "restarts": g.restarts = try integer(value, path)
            case "iterations": g.iterations = try integer(value, path)
            default: g.perceptualWeight = try number(Float.self, value, path)
            }
        }
    }

    func training(_ node: Node, _ at: String, into o: inout TrainingOptions, budget: inout EpochBudget,
                  automaticSchedule: inout Bool) throws {
        let known = ["batch_size", "learning_rate", "schedule", "weight_decay", "gradient_clip", "epochs", "patience",
                     "validation_fraction", "shuffle_buffer_chunks", "outlier_limit", "seed"]
        try entries(node, at, known: known) { key, value, path in
            switch key {
            case "batch_size": o.batchSize = try integer(value, path)
            case "learning_rate": o.learningRate = try number(Float.self, value, path)
            case "schedule":
                if value.scalar?.string.lowercased() == "auto" {
                    automaticSchedule = true
                } else {
                    o.schedule = try schedule(value, path)
                    automaticSchedule = false
                }
            case "weight_decay": o.weightDecay = try number(Float.self, value, path)
            case "gradient_clip":
                o.gradientClipNorm = try isNull(value) || value.scalar?.string.lowercased() == "none"
                    ? nil : number(Float.self, value, path)
            case "epochs":
                if value.scalar?.string.lowercased() == "auto" {
                    budget = .automatic
                } else {
                    let text = try scalar(value, path)
                    guard let epochs = Int(text) else {
                        throw fail(path, value, .invalidValue(text, expected: "auto or an integer ≥ 1"))
                    }
                    o.epochs = epochs
                    budget = .fixed(epochs)
                }
            case "patience": o.patience = try integer(value, path)
            case "validation_fraction": o.validationFraction = try number(Double.self, value, path)
            case "shuffle_buffer_chunks": o.shuffleBufferChunks = try integer(value, path)
            case "outlier_limit":
                o.outlierLimit = try isNull(value) || value.scalar?.string.lowercased() == "none"
                    ? nil : number(Float.self, value, path)
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
            kind = try choice(node, at, kinds)
        } else {
            guard let mapping = node.mapping else { throw fail(at, node, .notAMapping) }
            guard let kindNode = mapping.first(where: { $0.key.scalar?.string == "kind" })?.value else {
                throw fail("\(at).kind", node, .invalidValue("", expected: "kind: constant, cosine or plateau"))
            }
            kind = try choice(kindNode, "\(at).kind", kinds)
            let known = kind == .plateau ? ["kind", "factor", "patience", "minimum"] : kind == .cosine ? ["kind", "minimum"] : ["kind"]
            try entries(node, at, known: known) { key, value, path in
                switch key {
                case "kind": break
                case "factor": factor = try number(Float.self, value, path)
                case "patience": patience = try integer(value, path)
                default: minimum = try number(Float.self, value, path)
                }
            }
        }
        switch kind {
        case .constant: return .constant
        case .cosine: return .cosine(minimum: minimum ?? 1e-5)
        case .plateau: return .plateau(factor: factor, patience: patience, minimum: minimum ?? 1e-6)
        }
    }

    // MARK: Node helpers

    /// Calls `body(key, value, dotted path)` for each entry of a mapping, rejecting keys outside `known`.
    func entries(_ node: Node, _ at: String, known: [String], _ body: (String, Node, String) throws -> Void) throws {
        guard let mapping = node.mapping else { throw fail(at, node, .notAMapping) }
        var seen: [String: Int?] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            let path = at.isEmpty ? key : "\(at).\(key)"
            guard known.contains(key) else { throw fail(path, keyNode, .unknownKey(known: known)) }
            // YAML parsers keep the last of two equal keys; a config that says two things is refused instead.
            if let first = seen[key] { throw fail(path, keyNode, .duplicateKey(firstLine: first)) }
            seen[key] = keyNode.mark?.line
            lines[path] = keyNode.mark?.line
            try body(key, value, path)
        }
    }

    func fail(_ key: String, _ node: Node, _ problem: TrainingConfigurationError.Problem) -> TrainingConfigurationError {
        TrainingConfigurationError(file: source, line: node.mark?.line, key: key, problem: problem)
    }

    func scalar(_ node: Node, _ at: String) throws -> String {
        guard let text = node.scalar?.string else { throw fail(at, node, .notAScalar) }
        return text
    }

    func isNull(_ node: Node) throws -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func integer(_ node: Node, _ at: String) throws -> Int {
        let text = try scalar(node, at)
        guard let value = Int(text) else { throw fail(at, node, .invalidValue(text, expected: "an integer")) }
        return value
    }

    func number<T: BinaryFloatingPoint & LosslessStringConvertible>(_: T.Type, _ node: Node, _ at: String) throws -> T {
        let text = try scalar(node, at)
        guard let value = T(text), value.isFinite else { throw fail(at, node, .invalidValue(text, expected: "a finite number")) }
        return value
    }

    func boolean(_ node: Node, _ at: String) throws -> Bool {
        let text = try scalar(node, at)
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(at, node, .invalidValue(text, expected: "true or false"))
        }
    }

    func list(_ node: Node, _ at: String) throws -> [Node] {
        guard let sequence = node.sequence else { throw fail(at, node, .notAList) }
        return Array(sequence)
    }

    func integers(_ node: Node, _ at: String) throws -> [Int] {
        try list(node, at).map { try integer($0, at) }
    }

    func choice<T>(_ node: Node, _ at: String, _ options: [(String, T)]) throws -> T {
        let text = try scalar(node, at)
        guard let match = options.first(where: { $0.0 == text }) else {
            throw fail(at, node, .invalidValue(text, expected: "one of \(options.map(\.0).joined(separator: ", "))"))
        }
        return match.1
    }

    func activation(_ node: Node, _ at: String) throws -> Activation {
        try choice(node, at, Activation.allCases.map { ($0.rawValue, $0) })
    }
}
