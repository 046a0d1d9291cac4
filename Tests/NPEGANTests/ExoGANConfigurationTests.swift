import Foundation
import NPEGAN
import NPESupport
import NPETraining
import Testing

/// The `exogan:` section lives in NPEGAN; the card's training record must keep the shape it had when the section
/// was a field of `TrainingConfiguration`: the same key and the same snake_case fields and defaults (a Float
/// encodes by its shortest decimal spelling, so 2e-4 reads back as the Double 0.0002).
@Test func theExoGANSectionKeepsItsRecordedShape() throws {
    let configuration = TrainingConfiguration(sections: [ExoGANConfiguration.self])
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let json = try JSONDecoder().decode(JSONValue.self, from: try encoder.encode(configuration))
    guard case let .object(fields) = json else { Issue.record("not an object"); return }
    #expect(fields.keys.sorted() == ["automatic_schedule", "embedding", "epoch_budget", "exogan", "flow", "noise", "training"])
    #expect(json["exogan"] == .object([
        "latent_dimension": .number(32), "base_channels": .number(16), "margin_dex": .number(0.5),
        "batch_size": .number(128), "learning_rate": .number(0.0002), "beta1": .number(0.5),
        "beta2": .number(0.999), "restarts": .number(64), "iterations": .number(300),
        "perceptual_weight": .number(0.1),
    ]))
}

@Test func theExoGANSectionIsReadAndCheckedFromYAML() throws {
    let configuration = try TrainingConfiguration(
        yaml: "exogan: {latent_dimension: 8, learning_rate: 1e-3, restarts: 4}\n", sections: [ExoGANConfiguration.self])
    #expect(configuration.exogan.latentDimension == 8)
    #expect(configuration.exogan.learningRate == 1e-3)
    #expect(configuration.exogan.restarts == 4)
    #expect(configuration.exogan.baseChannels == ExoGANConfiguration().baseChannels)
    #expect(throws: TrainingConfigurationError(file: "<string>", line: 1, key: "exogan.beta1",
                                               problem: .invalidValue("1.0", expected: "a number in [0, 1)"))) {
        try TrainingConfiguration(yaml: "exogan: {beta1: 1}\n", sections: [ExoGANConfiguration.self])
    }
}
