import Foundation
import NPEData
import NPETestSupport
import Testing

@testable import NPEDatasets

/// `npe-build-dataset --simulator-config / --simulator-option` end to end: the options reach the simulator and the
/// dataset's provenance, and a bad file is an error naming file, line and key before any work.
struct SimulatorConfigCommandTests {
    static var executable: URL { builtExecutable(named: "npe-build-dataset") }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path)))
    func aConfiguredBuildRecordsItsOptions() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try "# cloudy, heavy fill\nclouds: grey-deck\nfill_gas: {composition: h2-he-n2, he_h2_ratio: 0.17}\n"
            .write(to: root.appendingPathComponent("sim.yaml"), atomically: true, encoding: .utf8)
        let run = try runProcess(
            Self.executable,
            ["--prior", "ariel-mcs-2024", "--simulator-config", "sim.yaml", "--rows", "40", "--out", "cloudy",
             "--threads", "2", "--seed", "1"], in: root)
        #expect(run.status == 0, "\(run.errors)")
        let reader = try TrainingDatasetReader(contentsOf: root.appendingPathComponent("cloudy/dataset.h5"))
        let recorded = try JSONDecoder().decode([String: String].self, from: Data(reader.metadata.simulatorConfigurationJSON.utf8))
        #expect(recorded["options"]?.contains("clouds=grey-deck") == true, "\(recorded)")
        #expect(recorded["options"]?.contains("fill_gas.composition=h2-he-n2") == true)
        #expect(recorded["clouds"]?.hasPrefix("grey deck") == true)
        #expect(try SimulatorCatalog.simulator(
            named: reader.metadata.simulatorName, version: reader.metadata.simulatorVersion,
            recordedConfigurationJSON: reader.metadata.simulatorConfigurationJSON).inputNames.contains("log_cloud_pressure"))
        try reader.close()

        try "clouds: grey-deck\ngas_overlap: fast\n".write(to: root.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let bad = try runProcess(Self.executable, ["--simulator-config", "bad.yaml", "--rows", "5", "--out", "bad"], in: root)
        #expect(bad.status != 0)
        #expect(bad.errors.contains("bad.yaml:2: key 'gas_overlap': 'fast' is not one of k-sum, random-overlap, rorr"), "\(bad.errors)")
        // The clear ADC2023 prior with a deck: the deck's input is missing from the prior, named as such.
        let missing = try runProcess(Self.executable, ["--simulator-option", "clouds=grey-deck", "--rows", "5", "--out", "m"], in: root)
        #expect(missing.status != 0)
        #expect(missing.errors.contains("log_cloud_pressure"), "\(missing.errors)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path)))
    func theCatalogueTakesTheMCSPriorByName() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try runProcess(
            Self.executable, ["catalogue", "--prior", "ariel-mcs-2024", "--out", "mcs.h5", "--limit", "12", "--seed", "2"], in: root)
        #expect(run.status == 0, "\(run.errors)")
        // TOI-5704b (0.043 M_J), outside ariel-adc2023, is inside this prior.
        #expect(run.output.contains("targets: 12 written, 0 skipped of 12"), "\(run.output)")
    }
}
