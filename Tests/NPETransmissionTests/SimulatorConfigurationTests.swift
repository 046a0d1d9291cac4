import Foundation
import Testing
import NPESimulators
@testable import NPETransmission

/// The ARIEL model's configuration as user options (YAML file, inline keys), its provenance record, and the rebuild
/// from that record.
@Suite struct SimulatorConfigurationTests {
    static let fullFile = """
        # every key once
        clouds: grey-deck
        temperature:
          profile: guillot2010
          log_kappa_ir: -2.5
          log_gamma: -0.75
          internal_temperature: 150
        gas_overlap: random-overlap
        fill_gas:
          composition: h2-he-n2
          he_h2_ratio: 0.2
        """

    @Test func aFileSetsEveryOption() throws {
        let configuration = try TransmissionModelConfiguration(
            options: try SimulatorOption.options(yaml: Self.fullFile, source: "sim.yaml"))
        #expect(configuration.cloudDeck)
        #expect(configuration.temperatureProfile == .guillot2010(logKappaIR: -2.5, logGamma: -0.75, internalTemperature: 150))
        #expect(configuration.gasOverlap == .randomOverlap)
        #expect(configuration.fillGas == .hydrogenHeliumNitrogen)
        #expect(configuration.heliumToHydrogenRatio == 0.2)
        #expect(try TransmissionModelConfiguration(options: []) == TransmissionModelConfiguration())
    }

    @Test func shorthandsAndInlineKeysOverrideTheFile() throws {
        var options = try SimulatorOption.options(yaml: "clouds: grey-deck\nfill_gas: h2-he-n2\ntemperature: isothermal\n")
        options.append(try SimulatorOption(inline: "clouds = none"))
        let configuration = try TransmissionModelConfiguration(options: options)
        #expect(!configuration.cloudDeck && configuration.fillGas == .hydrogenHeliumNitrogen)
        #expect(configuration.temperatureProfile == .isothermal)
    }

    /// Table-driven: each bad input names the file, the line and the key.
    @Test(arguments: [
        ("clouds: grey-deck\ncloud: none\n", "sim.yaml:2: key 'cloud': unknown option"),
        ("clouds: gray\n", "sim.yaml:1: key 'clouds': 'gray' is not one of none, grey-deck"),
        ("gas_overlap: [k-sum]\n", "sim.yaml:1: key 'gas_overlap': expected a single value"),
        ("temperature: {profile: guillot2010, log_gamma: -1, internal_temperature: 100}\n",
         "sim.yaml:1: key 'temperature.log_kappa_ir': is required"),
        ("temperature:\n  profile: guillot2010\n  log_kappa_ir: -2\n  log_gamma: x\n  internal_temperature: 100\n",
         "sim.yaml:4: key 'temperature.log_gamma': 'x' is not a finite number"),
        ("temperature:\n  log_gamma: -1\n", "sim.yaml:2: key 'temperature.log_gamma': only a guillot2010"),
        ("fill_gas:\n  he_h2_ratio: -0.1\n", "sim.yaml:2: key 'fill_gas.he_h2_ratio': -0.1 must be > 0"),
        ("- clouds\n", "sim.yaml:1: expected a mapping"),
        ("clouds: [\n", "sim.yaml: not valid YAML"),
    ])
    func badOptionsNameFileLineAndKey(text: String, message: String) throws {
        do {
            _ = try TransmissionModelConfiguration(options: try SimulatorOption.options(yaml: text, source: "sim.yaml"))
            Issue.record("expected an error for \(text)")
        } catch let error as SimulatorConfigurationError {
            #expect(error.description.hasPrefix(message), "\(error)")
        }
        #expect(throws: SimulatorConfigurationError.self) { try SimulatorOption(inline: "clouds") }
    }

    static let configurations: [TransmissionModelConfiguration] = {
        var heavy = TransmissionModelConfiguration(cloudDeck: true, fillGas: .hydrogenHeliumNitrogen)
        heavy.heliumToHydrogenRatio = 0.1
        var units = TransmissionModelConfiguration()
        units.kTablePressureUnitInPascal = 101_325
        return [
            TransmissionModelConfiguration(), TransmissionModelConfiguration(cloudDeck: true), heavy, units,
            TransmissionModelConfiguration(
                temperatureProfile: .guillot2010(logKappaIR: -2.123456789, logGamma: 0.1, internalTemperature: 0),
                gasOverlap: .randomOverlap),
        ]
    }()

    /// Provenance → configuration is exact, and the default records no option list (old datasets and cards still match).
    @Test(arguments: SimulatorConfigurationTests.configurations.indices)
    func theRecordedProvenanceRebuildsTheConfiguration(index: Int) throws {
        let configuration = Self.configurations[index]
        let recorded = configuration.provenance
        #expect(try TransmissionModelConfiguration(recorded: recorded) == configuration)
        #expect((recorded["options"] == nil) == (configuration == TransmissionModelConfiguration()))
        let options = configuration.canonicalOptions.map { SimulatorOption(key: $0.key, value: $0.value, source: "t") }
        #expect(try TransmissionModelConfiguration(options: options) == configuration)
    }

    @Test func aRecordThisBuildCannotReproduceIsRefusedNamingTheKey() throws {
        var recorded = TransmissionModelConfiguration(cloudDeck: true).provenance
        recorded["clouds"] = "something else"
        do {
            _ = try TransmissionModelConfiguration(recorded: recorded)
            Issue.record("expected a mismatch")
        } catch let error as SimulatorConfigurationError {
            #expect(error.key == "clouds" && error.file == "<recorded>")
        }
        // A cloudy record with its option list removed is not silently read as clear.
        var stripped = TransmissionModelConfiguration(cloudDeck: true).provenance
        stripped["options"] = nil
        #expect(throws: SimulatorConfigurationError.self) { try TransmissionModelConfiguration(recorded: stripped) }
    }

    @Test func theNitrogenFillAddsItsInputAndSetsTheMeanMolecularWeight() throws {
        let simulator = try ArielTransmissionSimulator(configuration: .init(cloudDeck: true, fillGas: .hydrogenHeliumNitrogen))
        #expect(Array(simulator.inputNames.suffix(2)) == ["log_cloud_pressure", "fill_n2_fraction"])
        let clearHeavy = try ArielTransmissionSimulator(configuration: .init(fillGas: .hydrogenHeliumNitrogen))
        #expect(clearHeavy.inputNames.last == "fill_n2_fraction" && clearHeavy.inputNames.count == 10)
        let row: [Double] = [0.3, 700, -30, -30, -30, -30, -30, 0.05, 0.8]
        for bad in [-0.1, 1.5, Double.nan] {
            do {
                _ = try clearHeavy.simulate(row + [bad])
                Issue.record("f = \(bad) accepted")
            } catch let SimulatorError.inputOutOfDomain(name, _, _) {
                #expect(name == "fill_n2_fraction")
            }
        }
        // μ of the fill is linear in f: 2.016·X_H2 + 4.0026·X_He with He/H2 = 0.17 at f = 0, 2·14.00674 at f = 1.
        let model = clearHeavy.model
        func mu(_ f: Double) throws -> Double {
            let atmosphere = PlanetAtmosphere(
                radius: 0.3, mass: 0.05, temperature: 700, starRadius: 0.8, logMixingRatios: [-30, -30, -30, -30, -30],
                nitrogenFillFraction: f)
            return try model.validate(atmosphere).meanMolecularMass / PhysicalConstants.atomicMass
        }
        let light = (2 * ElementMass.hydrogen + 0.17 * ElementMass.helium) / 1.17
        #expect(abs(try mu(0) - light) < 1e-12)
        #expect(abs(try mu(1) - 2 * ElementMass.nitrogen) < 1e-12)
        #expect(abs(try mu(0.5) - (light + 2 * ElementMass.nitrogen) / 2) < 1e-12)
        // The default fill with f = 0 through the N2 configuration gives the H2/He spectrum exactly.
        let plain = try ArielTransmissionSimulator().simulate(row)
        #expect(try clearHeavy.simulate(row + [0]) == plain)
    }
}
