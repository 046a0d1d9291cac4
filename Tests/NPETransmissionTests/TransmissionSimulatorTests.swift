import Dispatch
import Foundation
import Testing
import NPESimulators
@testable import NPETransmission

/// `ArielTransmissionSimulator` as a `Simulator`: its declared interface, input validation, determinism and thread
/// safety.
@Suite struct TransmissionSimulatorTests {
    static let row: [Double] = [1.2, 1300, -3.5, -6, -4, -7, -9, 0.9, 1.1]

    @Test func declaresTheAdcInterface() throws {
        let simulator = try ArielTransmissionSimulator()
        #expect(simulator.name == "ariel-transmission")
        #expect(simulator.inputNames == [
            "planet_radius", "planet_temp", "log_H2O", "log_CO2", "log_CO", "log_CH4", "log_NH3", "planet_mass",
            "star_radius",
        ])
        #expect(simulator.outputCount == 52)
        let grid = try #require(simulator.spectralGrid)
        #expect(grid.wavelengths.count == 52 && grid.wavelengths.first == 0.55 && grid.wavelengths.last == 7.2755592)
        #expect(zip(grid.wavelengths, grid.wavelengths.dropFirst()).allSatisfy { $0 < $1 })
        #expect(simulator.configuration["gas_overlap"] == "k-sum")
        #expect(simulator.configuration["temperature_profile"] == "isothermal")
        let cloudy = try ArielTransmissionSimulator(configuration: .init(cloudDeck: true))
        #expect(cloudy.inputNames.last == "log_cloud_pressure" && cloudy.inputNames.count == 10)
    }

    @Test(arguments: [
        (0, -1.0, "planet_radius"), (0, .nan, "planet_radius"), (1, 50.0, "planet_temp"), (1, 4000.0, "planet_temp"),
        (1, .infinity, "planet_temp"), (2, .nan, "log_H2O"), (6, 0.5, "log_NH3"), (7, 0.0, "planet_mass"),
        (8, -2.0, "star_radius"),
    ])
    func rejectsInputsOutOfDomain(index: Int, value: Double, input: String) throws {
        let simulator = try ArielTransmissionSimulator()
        var row = Self.row
        row[index] = value
        do {
            _ = try simulator.simulate(row)
            Issue.record("expected \(input) = \(value) to be rejected")
        } catch let SimulatorError.inputOutOfDomain(name, _, _) {
            #expect(name == input)
        }
    }

    @Test func rejectsMixingRatiosSummingToOne() throws {
        let simulator = try ArielTransmissionSimulator()
        var row = Self.row
        row[2] = log10(0.6)
        row[3] = log10(0.5)
        #expect(throws: SimulatorError.self) { try simulator.simulate(row) }
        #expect(throws: SimulatorError.wrongInputCount(expected: 9, got: 8)) { try simulator.simulate(Array(row.prefix(8))) }
        let cloudy = try ArielTransmissionSimulator(configuration: .init(cloudDeck: true))
        #expect(throws: SimulatorError.self) { try cloudy.simulate(Self.row + [.nan]) }
    }

    @Test func isDeterministicAcrossCallsWorkspacesAndThreads() throws {
        let simulator = try ArielTransmissionSimulator()
        let rows = TransmissionTestRows.priorRows(count: 64)
        let serial = try rows.map { try simulator.simulate($0) }
        #expect(try rows.map { try simulator.simulate($0) } == serial)
        // Four threads share the simulator (and its workspace pool); every row must come out bit-identical.
        let results = UnsafeMutableBufferPointer<[Double]>.allocate(capacity: rows.count)
        results.initialize(repeating: [])
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: rows.count) { index in
            results[index] = (try? simulator.simulate(rows[index])) ?? []
        }
        #expect(Array(results) == serial)
        // A fresh model from the same data gives the same bits.
        let other = try ArielTransmissionSimulator()
        #expect(try other.simulate(rows[3]) == serial[3])
        #expect(serial.allSatisfy { $0.allSatisfy(\.isFinite) })
    }

    /// 0.01 M_J with 0.5 R_J at 1000 K has no bound hydrostatic atmosphere over 1e6–1e-5 Pa: every output is NaN
    /// (for the dataset builder to count), never a crash or a partly filled spectrum. A 100× heavier planet is fine.
    @Test func unboundAtmosphereGivesNaNOutputs() throws {
        let simulator = try ArielTransmissionSimulator()
        let unbound = try simulator.simulate([0.5, 1000, -12, -12, -12, -12, -12, 0.01, 1])
        #expect(unbound.count == 52 && unbound.allSatisfy(\.isNaN))
        let bound = try simulator.simulate([0.5, 1000, -12, -12, -12, -12, -12, 1, 1])
        #expect(bound.allSatisfy { $0.isFinite && $0 > 0 })
    }

    /// Near the unbound limit the column is finite but reaches past the star; such draws are failures (NaN), never
    /// depths above 1. The sweep covers the prior's light, large, hot corner, where training data used to hold
    /// depths up to 1e36.
    @Test func neverReturnsADepthAboveOne() throws {
        let simulator = try ArielTransmissionSimulator()
        var failures = 0
        for radius in [1.0, 1.6, 2.2] {
            for mass in [0.05, 0.08, 0.12, 0.2] {
                for temperature in [1500.0, 2200.0, 3000.0] {
                    for starRadius in [0.4, 0.8] {
                        let depths = try simulator.simulate([radius, temperature, -3, -12, -12, -12, -12, mass, starRadius])
                        if depths.allSatisfy(\.isNaN) { failures += 1; continue }
                        #expect(depths.allSatisfy { $0.isFinite && $0 > 0 && $0 < 1 },
                                "R=\(radius) M=\(mass) T=\(temperature) Rs=\(starRadius): max depth \(depths.max() ?? .nan)")
                    }
                }
            }
        }
        #expect(failures > 0, "the sweep must reach the unbound corner, or it tests nothing")
    }
}
