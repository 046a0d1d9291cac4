import Foundation
import NPEFlows
import NPENN
import Testing
@testable import NPETraining

@Test func anEmptyConfigurationIsTheDefaults() throws {
    #expect(try TrainingConfiguration(yaml: "") == TrainingConfiguration())
    #expect(try TrainingConfiguration(yaml: "# only a comment\n") == TrainingConfiguration())
}

@Test func everyDocumentedKeyIsRead() throws {
    let c = try TrainingConfiguration(yaml: """
        flow: {kind: maf, transforms: 3, hidden_widths: [32, 16], bins: 8, activation: tanh}
        embedding:
          kind: residual_convolution
          hidden_widths: [40]
          output: 24
          channels: 8
          blocks: 2
          kernel_size: 5
          activation: gelu
        noise: {model: ariel-mcs, transits: 3, scale_range: [0.25, 4]}
        noise_level_input: false
        training:
          batch_size: 128
          learning_rate: 5e-4
          schedule: {kind: plateau, factor: 0.3, patience: 4, minimum: 1e-7}
          weight_decay: 1e-4
          gradient_clip: none
          epochs: 7
          patience: 3
          validation_fraction: 0.2
          shuffle_buffer_chunks: 2
          seed: 42
        """)
    #expect(c.flow.kind == .maf && c.flow.transforms == 3 && c.flow.hiddenWidths == [32, 16] && c.flow.bins == 8)
    #expect(c.flow.activation == .tanh)
    #expect(c.embedding.kind == .residualConvolution && c.embedding.hiddenWidths == [40] && c.embedding.output == 24)
    #expect(c.embedding.channels == 8 && c.embedding.blocks == 2 && c.embedding.kernelSize == 5 && c.embedding.activation == .gelu)
    #expect(c.noise.model == .arielMCS && c.noise.transits == 3 && c.noise.scaleRange == 0.25...4)
    #expect(c.noiseLevelInput == false)
    let o = c.training
    #expect(o.batchSize == 128 && o.learningRate == 5e-4 && o.weightDecay == 1e-4 && o.gradientClipNorm == nil)
    #expect(o.schedule == .plateau(factor: 0.3, patience: 4, minimum: 1e-7))
    #expect(o.epochs == 7 && o.patience == 3 && o.validationFraction == 0.2 && o.shuffleBufferChunks == 2 && o.seed == 42)
    // Keys left out keep their defaults; a scalar schedule takes the default minimum.
    let partial = try TrainingConfiguration(yaml: "training: {schedule: constant}\nnoise: {scale_range: none}")
    #expect(partial.training.schedule == .constant && partial.training.batchSize == TrainingConfiguration().training.batchSize)
    #expect(partial.noise.scaleRange == nil && partial.flow == TrainingConfiguration().flow)
}

/// Table of bad inputs: each error must name the file, the line and the dotted key.
@Test(arguments: [
    ("unknown top-level key", "flow: {kind: nsf}\nbatchsize: 12\n", 2, "batchsize", "unknown key"),
    ("unknown nested key", "training:\n  epochs: 3\n  learning_rte: 0.1\n", 3, "training.learning_rte", "unknown key"),
    ("bad flow kind", "flow:\n  kind: realnvp\n", 2, "flow.kind", "one of maf, nsf, nsfc"),
    ("negative batch", "training:\n  batch_size: -3\n", 2, "training.batch_size", "positive integer"),
    ("not a number", "training:\n  learning_rate: fast\n", 2, "training.learning_rate", "'fast' is invalid"),
    ("fraction out of range", "training:\n  validation_fraction: 1.5\n", 2, "training.validation_fraction", "(0, 1)"),
    ("bad scale range", "noise:\n  scale_range: [2, 0.5]\n", 2, "noise.scale_range", "0 < low ≤ high"),
    ("bad noise model", "noise: {model: gaussian}\n", 1, "noise.model", "ariel-mcs"),
    ("schedule key for another kind", "training:\n  schedule: {kind: cosine, factor: 0.5}\n", 2,
     "training.schedule.factor", "unknown key"),
    ("list expected", "flow:\n  hidden_widths: 64\n", 2, "flow.hidden_widths", "expected a list"),
])
func badConfigurationsAreLocatedErrors(label: String, yaml: String, line: Int, key: String, message: String) throws {
    let error = #expect(throws: TrainingConfigurationError.self, "\(label)") {
        try TrainingConfiguration(yaml: yaml, source: "train.yaml")
    }
    #expect(error?.file == "train.yaml" && error?.line == line && error?.key == key, "\(label): \(String(describing: error))")
    #expect(error?.description.hasPrefix("train.yaml:\(line): key '\(key)'") == true, "\(label): \(String(describing: error))")
    #expect(error?.description.contains(message) == true, "\(label): \(String(describing: error))")
}

@Test func rangeErrorsFoundAfterParsingNameTheKey() throws {
    // The check of a value's range against another key (cosine minimum vs learning rate) runs after parsing.
    let error = #expect(throws: TrainingConfigurationError.self) {
        try TrainingConfiguration(yaml: "training: {learning_rate: 1e-4, schedule: {kind: cosine, minimum: 1e-3}}", source: "t.yaml")
    }
    #expect(error?.key == "training.schedule.minimum" && error?.file == "t.yaml")
    #expect(throws: TrainingConfigurationError.self) {
        try TrainingConfiguration(yaml: "noise: {model: none}\nnoise_level_input: true")
    }
}

@Test func commandLineFlagsOverrideTheFileWhichOverridesTheDefaults() throws {
    let file = try TrainingConfiguration(yaml: "training: {epochs: 7, seed: 3, batch_size: 64}")
    #expect(TrainingConfiguration().training.epochs != 7)
    let merged = try file.applying(.init(epochs: 11, seed: nil, batchSize: 32))
    #expect(merged.training.epochs == 11)  // flag over file
    #expect(merged.training.seed == 3)  // file kept where no flag is given
    #expect(merged.training.batchSize == 32)
    #expect(merged.training.learningRate == TrainingConfiguration().training.learningRate)  // default where neither
    let error = #expect(throws: TrainingConfigurationError.self) { try file.applying(.init(epochs: 0)) }
    #expect(error?.file == "<command line>" && error?.key == "training.epochs")
}

@Test func aConfigurationFileIsReadFromDiskWithItsPathInErrors() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("train-\(UUID().uuidString).yaml")
    defer { try? FileManager.default.removeItem(at: url) }
    try "flow:\n  bins: 1\n".write(to: url, atomically: true, encoding: .utf8)
    let error = #expect(throws: TrainingConfigurationError.self) { try TrainingConfiguration(contentsOfYAML: url) }
    #expect(error?.description.hasPrefix("\(url.path)") == true && error?.key == "flow.bins")
    let missing = #expect(throws: TrainingConfigurationError.self) {
        try TrainingConfiguration(contentsOfYAML: url.appendingPathExtension("missing"))
    }
    #expect(missing?.description.contains("cannot read the file") == true)
}
