import Foundation
import NPEData
import NPEInference
import NPETestSupport
import NPESimulators
import NPETransmission
import Testing

@testable import NPEDatasets

/// The mock MCS catalogue: truths from the list, noise from the per-target table, skips with reasons.
struct MockCatalogueTests {
    static let simulator = try! ArielTransmissionSimulator()
    static let prior = try! Prior.arielADC2023()

    private func mcsList() throws -> CatalogueTargetList {
        try CatalogueTargetList(
            csv: try CatalogueTargetList.arielMCSKnown2024URL(), parameters: Self.prior.thetaNames + Self.prior.contextNames)
    }

    private func builder(noise: NoiseModel? = nil, transits: MockCatalogueBuilder.Transits = .fixed(1), seed: UInt64 = 7) throws
        -> MockCatalogueBuilder
    {
        try MockCatalogueBuilder(
            prior: Self.prior, simulator: Self.simulator,
            noiseModel: try noise ?? .perTargetTable(PerTargetNoiseTable.arielMCSKnown2024()), transits: transits, seed: seed)
    }

    private func provenance() -> MockCatalogue.Provenance {
        MockCatalogue.Provenance(
            sources: [.init(role: "targets", path: "test", sha256: "0")], seed: 7, transits: "1", prior: Self.prior,
            simulator: Self.simulator, noiseModel: .none)
    }

    @Test func theBundledListHasEveryMCSPlanetAndItsTruthColumns() throws {
        let list = try mcsList()
        #expect(list.targets.count == 722)
        #expect(list.targets.first?.name == "WASP-43b")
        #expect(list.targets.first?.values == ["planet_radius": 1.006, "planet_temp": 1427.313329, "planet_mass": 1.998, "star_radius": 0.65])
        #expect(list.targets.first?.tier2Transits == 34)
        #expect(list.parameterColumns["planet_temp"] == "Planet Temperature [K]")
        #expect(list.sha256 == "2c68a6ee1b488c61a7619549db202d08a698c91cc5c220ba4ae87bb4e7b6b8d5")
    }

    @Test func theCatalogueReadsBackWithTruthsFromTheListAndSkipsOutOfPriorTargets() throws {
        let list = try mcsList()
        let catalogue = try builder().build(list, limit: 40, threads: 2)
        let url = try temporaryDirectory().appendingPathComponent("mcs.h5")
        try catalogue.write(to: url, provenance: provenance())
        let read = try Catalogue(hdf5: url)
        #expect(read.targetCount == catalogue.targetCount && catalogue.targetCount + catalogue.skipped.count == 40)
        #expect(read.thetaNames == Self.prior.thetaNames && read.contextNames == ["planet_mass", "star_radius"])
        #expect(read.wavelengths == Self.simulator.spectralGrid?.wavelengths && read.binCount == 52)
        let table = try PerTargetNoiseTable.arielMCSKnown2024()
        let d = Self.prior.thetaCount
        for (t, id) in read.ids.enumerated() {
            let target = try #require(list.targets.first { $0.name == id })
            let theta = Array(Catalogue.row(read.thetaTrue!, t, width: d))
            let context = Array(Catalogue.row(read.context!, t, width: 2))
            // Truths are the catalogue's own numbers, bit for bit (no clamping, no rounding through Float).
            #expect(theta[0] == target.values["planet_radius"] && theta[1] == target.values["planet_temp"])
            #expect(context == [target.values["planet_mass"]!, target.values["star_radius"]!])
            #expect(theta[2...].allSatisfy { $0 > -12 && $0 < -1 }, "abundances come from the prior box")
            #expect(Array(Catalogue.row(read.sigma!, t, width: 52)) == (try table.sigma(for: NoiseTarget(name: id, transits: 1))))
        }
        // Every skipped target really has a catalogue value outside the prior, and every written one has none.
        let support = { (name: String) in Self.prior.parameter(named: name)!.distribution }
        for skipped in catalogue.skipped {
            let target = list.targets[skipped.row]
            #expect(skipped.name == target.name && skipped.category.hasSuffix("outside prior"))
            #expect(target.values.contains { !support($0.key).logDensity($0.value).isFinite }, "\(skipped.reason)")
        }
        #expect(catalogue.skipped.contains { $0.name == "TOI-5704b" && $0.reason.contains("planet_mass = 0.043293802 M_J") })
    }

    @Test func noiseHasTheDeclaredSigmaAndTheTruthsReproduceTheNoiseFreeSpectra() throws {
        // Four transits: a builder that forgot to co-add would give residuals twice as large, χ²/n ≈ 4.
        let catalogue = try builder(transits: .fixed(4)).build(try mcsList(), limit: 60, threads: 2)
        let m = 52
        var chiSquared = 0.0, sum = 0.0
        for t in 0..<catalogue.targetCount {
            let theta = Array(catalogue.thetaTrue[(t * 7)..<((t + 1) * 7)])
            let context = Array(catalogue.context[(t * 2)..<((t + 1) * 2)])
            // theta_true + context rerun through the simulator give the stored noise-free spectrum exactly.
            let mu = try Self.simulator.simulate(theta + context)
            #expect(mu == Array(catalogue.xNoiseFree[(t * m)..<((t + 1) * m)]))
            for b in 0..<m {
                let z = (catalogue.x[t * m + b] - mu[b]) / catalogue.sigma![t * m + b]
                chiSquared += z * z
                sum += z
            }
        }
        let n = Double(catalogue.targetCount * m)
        #expect(n > 1500)
        // Σz² ~ χ²(n): mean n, sd √(2n). A 5-sd band has a false-alarm rate below 1e-6 (normal approximation,
        // good at n > 1500) and still rejects a σ wrong by 15 % (χ²/n = 0.74 or 1.32, > 8 sd away at n = 1500).
        #expect(abs(chiSquared - n) < 5 * (2 * n).squareRoot(), "χ² = \(chiSquared) for n = \(n)")
        // The mean residual ~ N(0, 1/n): the noise is centred.
        #expect(abs(sum / n) < 5 / n.squareRoot())
    }

    @Test func resultsDependOnTheSeedAndTheTargetRowOnly() throws {
        let list = try mcsList()
        let one = try builder().build(list, limit: 12, threads: 1)
        let two = try builder().build(list, limit: 24, threads: 2)
        let k = one.targetCount
        #expect(k > 0 && Array(two.ids.prefix(k)) == one.ids)
        #expect(Array(two.x.prefix(k * 52)) == one.x && Array(two.thetaTrue.prefix(k * 7)) == one.thetaTrue)
        let other = try builder(seed: 8).build(list, limit: 12, threads: 1)
        #expect(other.x != one.x)
    }

    @Test func gapsUnknownTargetsAndOutOfPriorValuesAreSkippedWithReasons() throws {
        let url = try temporaryDirectory().appendingPathComponent("targets.csv")
        try """
        planet_name,planet_radius,planet_temp,planet_mass,star_radius
        Hot,1.2,3500,1.0,1.0
        Gap,1.0,1200,,1.1
        Fine,1.0,1200,0.8,1.1
        Tiny,0.05,250,0.8,1.1
        """.write(to: url, atomically: true, encoding: .utf8)
        let list = try CatalogueTargetList(csv: url, parameters: Self.prior.thetaNames + Self.prior.contextNames)
        let flat = try builder(noise: .gaussianPerBin(sigma: Array(repeating: 1e-4, count: 52))).build(list)
        #expect(flat.ids == ["Fine"])
        #expect(flat.skipped.map(\.category) == ["planet_temp outside prior", "planet_mass missing", "planet_radius outside prior"])
        #expect(flat.skipped[2].reason.contains("planet_radius = 0.05 R_J") && flat.skipped[2].reason.contains("planet_temp = 250.0 K"))
        #expect(flat.skippedCounts == ["planet_temp outside prior": 1, "planet_mass missing": 1, "planet_radius outside prior": 1])
        // The MCS table does not know these names: skipped, not silently noise-free.
        let table = try builder().build(list)
        #expect(table.ids.isEmpty && table.skipped.map(\.name) == ["Hot", "Gap", "Fine", "Tiny"] && table.skipped[2].category == "no noise")
        #expect(throws: DatasetBuildError.self) { try table.write(to: url.deletingLastPathComponent().appendingPathComponent("x.h5"), provenance: provenance()) }
    }

    @Test(arguments: [
        ("planet_name,planet_radius,planet_temp,star_radius\nA,1,1000,1\n", "header",
         "missing column 'planet_mass' or 'Planet Mass [Mjup]' (catalogue value of planet_mass)"),
        ("planet_name,planet_radius,planet_temp,planet_mass,star_radius\nA,1,1000,1,1\nB,1,hot,1,1\n",
         "line 3 (row 1), column 'planet_temp'", "'hot' is not a number"),
        ("radius,planet_temp\n1,2\n", "header", "missing column 'Planet Name' or 'planet_name' (planet name)"),
    ])
    func badTargetListsNameTheFileRowAndColumn(text: String, location: String, reason: String) throws {
        let url = try temporaryDirectory().appendingPathComponent("bad.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: DatasetBuildError.invalidInput(file: url.path, location: location, reason: reason)) {
            try CatalogueTargetList(csv: url, parameters: Self.prior.thetaNames + Self.prior.contextNames)
        }
    }
}

/// The `catalogue` subcommand end to end: the summary lists skips with reasons; a bad list fails naming the cell.
struct CatalogueCommandTests {
    static var executable: URL { builtExecutable(named: "npe-build-dataset") }

    @Test
    func writesTheDefaultMCSCatalogueAndReportsSkips() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "npe-build-dataset is not built at \(Self.executable.path): run swift build --build-tests first")
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try runProcess(Self.executable, ["catalogue", "--out", "mcs.h5", "--limit", "10", "--seed", "3", "--transits", "tier2"], in: root)
        #expect(run.status == 0, "\(run.errors)")
        let catalogue = try Catalogue(hdf5: root.appendingPathComponent("mcs.h5"))
        #expect(run.output.contains("targets: \(catalogue.targetCount) written, \(10 - catalogue.targetCount) skipped of 10"))
        #expect(run.output.contains("row 2 (line 5) TOI-5704b: planet_mass = 0.043293802 M_J is outside the prior's support"))
        #expect(run.output.contains("skipped (planet_mass outside prior): "))

        try "planet_name,planet_radius,planet_temp,planet_mass,star_radius\nA,1,1000,x1,1\n"
            .write(to: root.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let bad = try runProcess(Self.executable, ["catalogue", "--targets", "bad.csv", "--out", "bad.h5"], in: root)
        #expect(bad.status != 0)
        #expect(bad.errors.contains("bad.csv: line 2 (row 0), column 'planet_mass': 'x1' is not a number"), "\(bad.errors)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("bad.h5").path))
    }
}

/// h5py + hdf5plugin read the mock catalogue: the LZ4-compressed spectra, the truths and the skip list.
@Suite(.enabled(if: InteropPython.isAvailable))
struct MockCatalogueInteropTests {
    @Test func h5pyReadsTheCatalogue() throws {
        let prior = try Prior.arielADC2023()
        let simulator = try ArielTransmissionSimulator()
        let list = try CatalogueTargetList(csv: try CatalogueTargetList.arielMCSKnown2024URL(), parameters: prior.thetaNames + prior.contextNames)
        let catalogue = try MockCatalogueBuilder(
            prior: prior, simulator: simulator, noiseModel: .perTargetTable(try PerTargetNoiseTable.arielMCSKnown2024()), seed: 2
        ).build(list, limit: 8)
        let url = try temporaryDirectory().appendingPathComponent("mcs.h5")
        try catalogue.write(to: url, provenance: .init(
            sources: [.init(role: "targets", path: list.source, sha256: list.sha256)], seed: 2, transits: "1", prior: prior,
            simulator: simulator, noiseModel: .none))
        let script = """
            import sys, json, h5py, hdf5plugin, numpy as np
            with h5py.File(sys.argv[1], "r") as f:
                z = (f["x"][:] - f["x_noise_free"][:]) / f["sigma"][:]
                names = json.loads(f["theta_true"].attrs["parameter_names"])
                skipped = json.loads(f.attrs["skipped"])
                ids = [s.decode() for s in f["id"][:]]
                print(f["x"].shape[0], f["x"].shape[1], names[1], ids[0], len(skipped), skipped[0]["name"],
                      f["theta_true"][0, 0], bool(np.isfinite(z).all()), f.attrs["format"])
            """
        let result = try InteropPython.run(script, [url.path], mergingErrors: true)
        #expect(result.status == 0, "\(result.output)")
        let expected = "\(catalogue.targetCount) 52 planet_temp WASP-43b \(catalogue.skipped.count) \(catalogue.skipped[0].name) 1.006 True exonpe-mock-catalogue"
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == expected, "\(result.output)")
    }
}
