import Foundation
import NPESupport
import NPEYAML
import Testing
import Yams
@testable import NPETraining

/// A kind's own section, as a module outside NPETraining would write one.
private struct ToySection: TrainingConfigurationSection {
    static let key = "toy"
    var stepSize: Float = 0.5
    var rounds = 3

    mutating func read(_ node: Node, at path: String, reader: YAMLNodeReader) throws {
        try reader.entries(node, path, known: ["step_size", "rounds"]) { key, value, path in
            if key == "rounds" { rounds = try reader.integer(value, path) } else {
                stepSize = try reader.number(Float.self, value, path)
            }
        }
    }

    func validate(_ fail: (String, Any, String) -> TrainingConfigurationError) throws {
        guard rounds >= 1 else { throw fail("toy.rounds", rounds, "an integer ≥ 1") }
    }
}

@Test func aKindSectionIsReadValidatedAndEncodedUnderItsKey() throws {
    let configuration = try TrainingConfiguration(yaml: "toy: {rounds: 7}\ntraining: {epochs: 2}\n", sections: [ToySection.self])
    #expect(configuration.sections[ToySection.self].rounds == 7)
    #expect(configuration.sections[ToySection.self].stepSize == 0.5)
    #expect(configuration.sections.keys == ["toy"])
    #expect(configuration != TrainingConfiguration(sections: [ToySection.self]))

    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let json = try JSONDecoder().decode(JSONValue.self, from: try encoder.encode(configuration))
    #expect(json["toy"] == .object(["rounds": .number(7), "step_size": .number(0.5)]))
    // Without sections the encoding is the built-in fields only (nil optionals left out, as before sections; the epoch
    // budget and whether the schedule was chosen automatically are recorded since the automatic budget, issue 18).
    let plain = try JSONDecoder().decode(JSONValue.self, from: try encoder.encode(TrainingConfiguration()))
    guard case let .object(fields) = plain else { Issue.record("not an object"); return }
    #expect(fields.keys.sorted() == ["automatic_schedule", "embedding", "epoch_budget", "flow", "noise", "training"])
}

@Test func aKindSectionsProblemsAreLocatedLikeTheRest() throws {
    let sections: [any TrainingConfigurationSection.Type] = [ToySection.self]
    #expect(throws: TrainingConfigurationError(file: "t.yaml", line: 2, key: "toy.round",
                                               problem: .unknownKey(known: ["step_size", "rounds"]))) {
        try TrainingConfiguration(yaml: "toy:\n  round: 2\n", source: "t.yaml", sections: sections)
    }
    #expect(throws: TrainingConfigurationError(file: "t.yaml", line: 1, key: "toy.rounds",
                                               problem: .invalidValue("0", expected: "an integer ≥ 1"))) {
        try TrainingConfiguration(yaml: "toy: {rounds: 0}\n", source: "t.yaml", sections: sections)
    }
    // A configuration made without the section does not know its key.
    #expect(throws: TrainingConfigurationError.self) { try TrainingConfiguration(yaml: "toy: {rounds: 2}\n") }
}
