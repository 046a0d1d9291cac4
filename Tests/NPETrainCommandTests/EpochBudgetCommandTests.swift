import Foundation
import NPERegistry
import NPESupport
import NPETestSupport
import Testing

/// `npe-train` without an epoch count trains until validation stops improving, under a cap that follows the
/// dataset, and says why it stopped, on the console and in the card.
@Suite(.serialized)
struct EpochBudgetCommandTests {
    init() throws { try #require(CommandHarness.available, "npe-train or npe-build-dataset is not built: run swift build --build-tests first") }

    @Test func theDefaultBudgetStopsOnPatienceAndAnExplicitOneIsACap() throws {
        let h = try CommandHarness()
        try h.buildDataset(["--simulator", "two-moons", "--rows", "2000", "--out", "moons", "--seed", "4", "--threads", "2"])
        // A tiny flow and patience 3: two moons' validation loss (200 rows) stops improving within tens of epochs,
        // far below the 1000-epoch cap of 2000 rows.
        try h.write("""
            flow: {kind: maf, transforms: 2, hidden_widths: [16]}
            embedding: {kind: identity}
            training: {batch_size: 64, patience: 3}
            """, to: "tiny.yaml")
        let common = ["--dataset", "moons", "--registry", "reg", "--config", "tiny.yaml", "--workers", "1"]
        let automatic = try h.train(common + ["--name", "auto"])
        try #require(automatic.status == 0, "\(automatic.errors)")
        #expect(automatic.errors.contains("until validation stops improving (patience 3), at most 1000 epochs"), "\(automatic.errors)")
        #expect(automatic.errors.contains("stopped early (validation stopped improving)"), "\(automatic.errors)")
        let card = try ModelRegistry(root: h.url("reg")).load("auto").card.training.configuration
        #expect(card["stopping_reason"] == "validation_stopped_improving")
        #expect(card["configuration"]?["epoch_budget"] == "auto")
        #expect(card["configuration"]?["training"]?["epochs"] == 1000)
        let run = try #require(card["epochs_run"], "\(card)")
        let best = try #require(card["best_epoch"], "\(card)")
        guard case let .number(epochs) = run, case let .number(bestEpoch) = best else { Issue.record("\(card)"); return }
        #expect(epochs < 1000 && epochs == bestEpoch + 1 + 3)

        // `--epochs` wins: the cap, reached before patience 3 can end the run.
        let fixed = try h.train(common + ["--name", "fixed", "--epochs", "2"])
        try #require(fixed.status == 0, "\(fixed.errors)")
        #expect(fixed.errors.contains("up to 2 epochs (patience 3)") && fixed.errors.contains("epoch budget reached"), "\(fixed.errors)")
        let fixedCard = try ModelRegistry(root: h.url("reg")).load("fixed").card.training.configuration
        #expect(fixedCard["stopping_reason"] == "epoch_budget_reached" && fixedCard["configuration"]?["epoch_budget"] == 2)
    }
}
