import Foundation
import NPERegistry
import NPETestSupport
import Testing

/// A model trained on a configured (cloudy, H2/He/N2) ARIEL dataset carries that configuration in its card, and every
/// path that re-simulates for it uses it: the mock catalogue and `simulate` with `--model`, and the exact likelihood
/// of `npe-infer --importance-sampling` (which refused any non-default configuration before, and must never fall
/// back to the clear, H2/He model).
@Suite(.enabled(if: CommandHarness.available))
struct ConfiguredSimulatorTests {
    static let infer = builtExecutable(named: "npe-infer")

    @Test func aCloudyModelIsReSimulatedWithItsRecordedConfiguration() throws {
        let h = try CommandHarness()
        try h.buildDataset(["--prior", "ariel-mcs-2024", "--rows", "1500", "--out", "mcs", "--seed", "2", "--threads", "2"])
        let trained = try h.train(["--dataset", "mcs", "--registry", "reg", "--name", "mcs", "--epochs", "2", "--batch-size", "128"])
        #expect(trained.status == 0, "\(trained.errors)")

        let store = ModelRegistry(root: h.url("reg"))
        let card = try store.card(of: try store.resolve("mcs@1"))
        let recordedJSON = try #require(card.dataset.simulator.configuration["simulator_configuration"])
        let recorded = try JSONDecoder().decode([String: String].self, from: Data(recordedJSON.utf8))
        #expect(recorded["options"]?.contains("clouds=grey-deck") == true, "\(recorded)")
        #expect(recorded["options"]?.contains("fill_gas.composition=h2-he-n2") == true)

        // The catalogue for the model: its prior (11 parameters) and its cloudy, heavy-fill simulator.
        try h.buildDataset(["catalogue", "--registry", "reg", "--model", "mcs@1", "--out", "cat.h5", "--limit", "6", "--seed", "4"])
        let sampled = try runProcess(
            Self.infer, ["--registry", "reg", "--model", "mcs@1", "--catalogue", "cat.h5", "--samples", "64", "--out", "post.h5",
                         "--importance-sampling", "--threads", "2"], in: h.root, environment: CommandHarness.environment())
        #expect(sampled.status == 0, "\(sampled.errors)\n\(sampled.output)")
        #expect(FileManager.default.fileExists(atPath: h.url("post.h5").path))

        // simulate --model reads the cloudy inputs by name; the same row through the clear default model differs.
        let header = "planet_radius,planet_temp,log_H2O,log_CO2,log_CO,log_CH4,log_NH3,planet_mass,star_radius,log_cloud_pressure,fill_n2_fraction"
        try h.write("\(header)\n1.1,1200,-3.5,-6,-4,-7,-9,0.8,1.0,2.0,0.2\n", to: "p.csv")
        try h.buildDataset(["simulate", "--registry", "reg", "--model", "mcs@1", "--params", "p.csv", "--out", "cloudy.csv"])
        try h.buildDataset(["simulate", "--params", "p.csv", "--out", "clear.csv"])
        let cloudy = try String(contentsOf: h.url("cloudy.csv"), encoding: .utf8)
        let clear = try String(contentsOf: h.url("clear.csv"), encoding: .utf8)
        #expect(cloudy.hasPrefix(header + ","), "\(cloudy.prefix(200))")
        #expect(cloudy.split(separator: "\n").last.map { $0.split(separator: ",").suffix(52) }
                != clear.split(separator: "\n").last.map { $0.split(separator: ",").suffix(52) })
    }
}
