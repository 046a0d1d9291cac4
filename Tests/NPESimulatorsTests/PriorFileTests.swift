import Foundation
import Testing
@testable import NPESimulators

@Suite("Prior files")
struct PriorFileTests {
    /// The example of issue 4, verbatim.
    static let issueExample = """
        parameters:
          - {name: planet_radius, unit: R_jup, prior: {uniform: [0.5, 2.0]}}
          - {name: log_H2O, prior: {uniform: [-12, -1]}}
          - {name: planet_mass, unit: M_jup, context: true, prior: {log_uniform: [0.1, 10]}}
        """

    @Test func parsesTheIssueExample() throws {
        let prior = try Prior(yaml: Self.issueExample, source: "example.yaml")
        #expect(prior.names == ["planet_radius", "log_H2O", "planet_mass"])
        #expect(prior.thetaNames == ["planet_radius", "log_H2O"])
        #expect(prior.contextNames == ["planet_mass"])
        #expect(prior.parameters[0].unit == "R_jup")
        #expect(prior.parameters[1].unit == nil)
        #expect(prior.parameters[0].distribution == .uniform(low: 0.5, high: 2))
        #expect(prior.parameters[2].distribution == .logUniform(low: 0.1, high: 10))
        #expect(prior.source == "example.yaml")
    }

    @Test func parsesBlockStyleEveryFamilyAndFixedValues() throws {
        let yaml = """
            description: every family
            parameters:
              - name: a
                prior:
                  normal: [0, 1.5]
              - name: b
                unit: K
                prior: {log_normal: [7, 0.2]}
              - name: c
                context: false
                prior: {fixed: 1e-3}
              - {name: d, context: true, prior: {uniform: [-1, 1]}}
            """
        let prior = try Prior(yaml: yaml)
        #expect(prior.parameters.map(\.distribution) == [
            .normal(mean: 0, standardDeviation: 1.5), .logNormal(mu: 7, sigma: 0.2), .fixed(1e-3),
            .uniform(low: -1, high: 1),
        ])
        #expect(prior.thetaIndices == [0, 1])
        #expect(prior.fixedIndices == [2])
        #expect(prior.contextIndices == [3])
        #expect(prior.uniformCount == 4)
    }

    @Test func theDefaultArielPriorHasTheADCTargetsAndContext() throws {
        let prior = try Prior.arielADC2023()
        #expect(prior.thetaNames == ["planet_radius", "planet_temp", "log_H2O", "log_CO2", "log_CO", "log_CH4",
                                     "log_NH3"])
        #expect(prior.contextNames == ["planet_mass", "star_radius"])
        #expect(prior.parameter(named: "planet_radius")?.unit == "R_J")
        #expect(prior.parameter(named: "planet_temp")?.unit == "K")
        #expect(prior.parameter(named: "star_radius")?.unit == "R_sun")
        // Temperatures inside the k-tables' 100–3400 K; radii inside the ADC metric box.
        let temperature = try #require(prior.parameter(named: "planet_temp")).distribution.support
        #expect(temperature.lowerBound >= 100 && temperature.upperBound <= 3400)
        let radius = try #require(prior.parameter(named: "planet_radius")).distribution.support
        #expect(radius.lowerBound >= 0.1 && radius.upperBound <= 3)
        // Five trace gases at their maximum still leave the fill gas: Σ VMR < 1.
        let maxVMR = prior.thetaNames.filter { $0.hasPrefix("log_") }.map {
            pow(10, prior.parameter(named: $0)!.distribution.support.upperBound)
        }.reduce(0, +)
        #expect(maxVMR < 1)
    }

    @Test func drawsAreInsideTheSupportAndDensitiesAreFinite() throws {
        let prior = try Prior.arielADC2023()
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<500 {
            let row = prior.draw(uniforms: (0..<prior.uniformCount).map { _ in generator.uniform() })
            let theta = prior.thetaIndices.map { row[$0] }
            #expect(prior.logDensity(theta: theta).isFinite)
            #expect(prior.logDensity(context: prior.contextIndices.map { row[$0] }).isFinite)
        }
        // Outside the box the density is −∞.
        var theta = [1.0, 1000, -5, -5, -5, -5, -5]
        #expect(prior.logDensity(theta: theta).isFinite)
        theta[1] = 5000
        #expect(prior.logDensity(theta: theta) == -.infinity)
    }

    @Test func theJSONEncodingRoundTripsAndMirrorsTheFile() throws {
        let prior = try Prior(yaml: Self.issueExample, source: "example.yaml")
        let json = try prior.jsonString()
        #expect(json.contains(#""name":"planet_mass""#))
        #expect(json.contains(#""prior":{"log_uniform":[0.1,10]}"#))
        #expect(try JSONDecoder().decode(Prior.self, from: Data(json.utf8)) == prior)
    }

    @Test func mapsSimulatorInputsByName() throws {
        let prior = try Prior(yaml: Self.issueExample, source: "example.yaml")
        #expect(try prior.parameterIndices(forInputs: ["planet_mass", "planet_radius"], simulator: "s") == [2, 0])
        let error = #expect(throws: PriorError.self) {
            try prior.parameterIndices(forInputs: ["planet_temp"], simulator: "ariel-transmission")
        }
        #expect(error?.description.contains("planet_temp") == true)
        #expect(error?.description.contains("ariel-transmission") == true)
    }

    @Test func readsFilesAndNamesAMissingOne() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prior-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("p.yaml")
        try Self.issueExample.write(to: url, atomically: true, encoding: .utf8)
        #expect(try Prior(contentsOfYAML: url).source == url.path)
        let missing = directory.appendingPathComponent("absent.yaml")
        let error = #expect(throws: PriorError.self) { try Prior(contentsOfYAML: missing) }
        #expect(error?.file == missing.path)
    }
}
