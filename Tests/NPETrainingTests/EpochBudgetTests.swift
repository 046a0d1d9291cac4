import Foundation
import Testing
@testable import NPETraining

@Test(arguments: [(1, 1000), (1000, 1000), (10_000, 1000), (30_000, 1000), (30_001, 1000), (100_000, 300),
                  (250_000, 120), (999_999, 31), (1_000_000, 30), (5_000_000, 30)])
func theAutomaticCapScalesWithTheRows(rows: Int, epochs: Int) {
    // ⌈3·10⁷ / rows⌉ clamped to [30, 1000]: 10⁶ rows keep the ARIEL recipe's 30 epochs.
    #expect(EpochBudget.cap(rows: rows) == epochs)
    #expect(EpochBudget.automatic.epochs(rows: rows) == epochs)
    #expect(EpochBudget.fixed(7).epochs(rows: rows) == 7)
}

@Test func theDefaultBudgetIsAutomaticAndAnExplicitOneWins() throws {
    #expect(TrainingConfiguration().epochBudget == .automatic)
    #expect(TrainingConfiguration().training.patience == 20)
    #expect(try TrainingConfiguration(yaml: "training: {epochs: auto}").epochBudget == .automatic)
    let file = try TrainingConfiguration(yaml: "training: {epochs: 12, patience: 4}")
    #expect(file.epochBudget == .fixed(12) && file.training.epochs == 12)
    // The file's number wins over the automatic cap; the flag wins over the file, and over `auto`.
    #expect(file.resolvingEpochBudget(rows: 1000).training.epochs == 12)
    #expect(try file.applying(.init(epochs: 5)).epochBudget == .fixed(5))
    let flagged = try TrainingConfiguration(yaml: "training: {epochs: auto}").applying(.init(epochs: 9))
    #expect(flagged.epochBudget == .fixed(9) && flagged.resolvingEpochBudget(rows: 100).training.epochs == 9)
    // Left automatic, the cap follows the dataset.
    let automatic = try TrainingConfiguration().applying(.init(seed: 3))
    #expect(automatic.resolvingEpochBudget(rows: 100_000).training.epochs == 300)
    #expect(automatic.resolvingEpochBudget(rows: 2_000_000).training.epochs == 30)
}

@Test func aBadEpochBudgetIsALocatedError() throws {
    let error = #expect(throws: TrainingConfigurationError.self) {
        try TrainingConfiguration(yaml: "training:\n  epochs: many\n", source: "t.yaml")
    }
    #expect(error?.line == 2 && error?.key == "training.epochs", "\(String(describing: error))")
    #expect(error?.description.contains("auto or an integer ≥ 1") == true, "\(String(describing: error))")
    let zero = #expect(throws: TrainingConfigurationError.self) { try TrainingConfiguration(yaml: "training: {epochs: 0}") }
    #expect(zero?.key == "training.epochs")
}

@Test func theBudgetEncodesAsTheYAMLSpellsIt() throws {
    let encoder = JSONEncoder()
    #expect(String(decoding: try encoder.encode([EpochBudget.automatic, .fixed(40)]), as: UTF8.self) == #"["auto",40]"#)
    let decoded = try JSONDecoder().decode([EpochBudget].self, from: Data(#"["auto",40]"#.utf8))
    #expect(decoded == [.automatic, .fixed(40)])
    #expect(throws: DecodingError.self) { try JSONDecoder().decode([EpochBudget].self, from: Data(#"["often"]"#.utf8)) }
}

@Test func aRunEndsOnPatienceOrOnItsCapAndSaysWhich() throws {
    // The regression problem of TrainerTests with noise σ = 0.5 on x, drawn afresh each epoch: the validation loss
    // then fluctuates by more than the gain of an epoch, so a 2-epoch patience ends the run long before 400 epochs
    // (about 10 here); and a 3-epoch cap that patience 100 cannot reach.
    let data = try RegressionDataset(rows: 600)
    var o = TrainingOptions()
    (o.batchSize, o.learningRate, o.validationFraction, o.shuffleBufferChunks, o.seed) = (64, 3e-3, 0.2, 3, 17)
    (o.epochs, o.patience) = (400, 2)
    let noise = try NoiseAugmentation(sigma: [0.5, 0.5, 0.5], seed: 3)
    let patient = try Trainer(model: Regressor(seed: 1), options: o, reader: data.reader, noise: noise).run()
    #expect(patient.stoppingReason == .validationStoppedImproving)
    #expect(patient.history.count < 400 && patient.history.count == patient.bestEpoch + 1 + o.patience)
    (o.epochs, o.patience) = (3, 100)
    let capped = try Trainer(model: Regressor(seed: 1), options: o, reader: data.reader, noise: noise).run()
    #expect(capped.stoppingReason == .epochBudgetReached && capped.history.count == 3)
}

@Test func theAutomaticScheduleAnnealsBeforePatienceCanEndTheRun() throws {
    let plateau = ScheduleKind.plateau(factor: 0.5, patience: 5, minimum: 1e-5), cosine = ScheduleKind.cosine(minimum: 1e-5)
    let automatic = TrainingConfiguration()
    #expect(automatic.automaticSchedule)
    // Below 10⁶ rows patience usually ends the run: halve on plateaus. At the 30-epoch floor the cap is the
    // budget: cosine, as the ARIEL recipe was tuned.
    #expect(automatic.resolvingEpochBudget(rows: 10_000).training.schedule == plateau)
    #expect(automatic.resolvingEpochBudget(rows: 999_999).training.schedule == plateau)
    #expect(automatic.resolvingEpochBudget(rows: 1_000_000).training.schedule == cosine)
    #expect(try automatic.applying(.init(epochs: 50)).resolvingEpochBudget(rows: 10_000).training.schedule == cosine)
    // A schedule that is given stays, whatever the budget; `auto` restores the choice.
    let given = try TrainingConfiguration(yaml: "training: {schedule: constant}")
    #expect(!given.automaticSchedule && given.resolvingEpochBudget(rows: 10_000).training.schedule == .constant)
    #expect(try TrainingConfiguration(yaml: "training: {schedule: auto}") == TrainingConfiguration())
}
