import ArgumentParser
import NPECommandLine
import Foundation
import NPEChecksum
import NPEDatasets
import NPESimulators

struct CatalogueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "Make a mock observed catalogue (HDF5) from a real target list, with truths, for npe-infer and scoring.",
        discussion: """
            Each planet's catalogue radius, equilibrium temperature, mass and stellar radius are the truths \
            (theta planet_radius, planet_temp; context planet_mass, star_radius); the other parameters are drawn from \
            the prior; the spectrum is simulated and given Gaussian noise with the target's per-target Ariel MCS \
            sigma for --transits transits. Targets whose catalogue values fall outside the prior's support, or that \
            have gaps, are skipped (never clamped) and listed. Default targets: the bundled Ariel MCS known-planet \
            list (722 planets, 2024-07-09).
            """)

    @Option(help: "Target list CSV (default: the bundled Ariel MCS known planets).")
    var targets: String?

    @Option(help: "Prior YAML file or built-in name (\(Prior.builtinNames.joined(separator: ", "))); default: ariel-adc2023, or the card's with --model.")
    var prior: String?

    @Option(help: ArgumentHelp("Simulator: \(SimulatorCatalog.names.joined(separator: ", ")) (ignored with --model, which uses the card's).", valueName: "name"))
    var simulator = "ariel-transmission"

    @OptionGroup var simulatorOptions: SimulatorConfigurationOptions

    @Option(help: "Output HDF5 file.")
    var out: String

    @Option(help: "Noise model JSON (default: the per-target Ariel MCS table, one row per planet name).")
    var noise: String?

    @Option(help: "Transits co-added per target: a number, or 'tier2' for the list's 'Tier 2 Transits'.")
    var transits = "1"

    @OptionGroup var seeding: SeedOptions

    @Option(help: "Use only the first N targets of the list.")
    var limit: Int?

    @OptionGroup var threading: ThreadOptions

    @Flag(help: "Replace an existing output file.")
    var overwrite = false

    func validate() throws {
        if let limit, limit <= 0 { throw ValidationError("--limit must be positive (got \(limit))") }
        _ = try transitChoice()
    }

    private func transitChoice() throws -> MockCatalogueBuilder.Transits {
        if transits == "tier2" { return .tier2 }
        guard let n = Int(transits), n >= 1 else {
            throw ValidationError("--transits must be a positive number or 'tier2' (got '\(transits)')")
        }
        return .fixed(n)
    }

    func run() throws {
        let resolved = try simulatorOptions.resolve(simulator: simulator, prior: self.prior)
        let prior = resolved.prior
        let noiseModel = try DatasetInputs.noiseModel(at: noise, fallback: .perTargetTable(try PerTargetNoiseTable.arielMCSKnown2024()))
        let targetsURL = try targets.map { URL(fileURLWithPath: $0) } ?? CatalogueTargetList.arielMCSKnown2024URL()
        let list = try CatalogueTargetList(
            csv: targetsURL, parameters: prior.thetaNames + prior.contextNames,
            label: targets == nil ? CatalogueTargetList.arielMCSKnown2024Label : nil)
        let builder = try MockCatalogueBuilder(
            prior: prior, simulator: resolved.simulator, noiseModel: noiseModel, transits: try transitChoice(), seed: seeding.seed)
        let start = Date()
        let catalogue = builder.build(list, limit: limit, threads: threading.count)
        var sources = [MockCatalogue.Provenance.Source(role: "targets", path: list.source, sha256: list.sha256)]
        if let argument = self.prior {
            sources.append(.init(role: "prior", path: DatasetInputs.builtinPriorName(argument).map { "<builtin:\($0)>" } ?? argument,
                                 sha256: try SHA256.hexDigest(ofFileAt: try DatasetInputs.priorFileURL(argument))))
        } else if simulatorOptions.model != nil {
            sources.append(.init(role: "prior", path: resolved.priorSource, sha256: SHA256.hexDigest(of: Data(try prior.jsonString().utf8)),
                                 digestOf: "prior JSON"))
        } else if simulator != "ariel-transmission" {
            // The simulator's own default prior (an exec description's `prior:`): digest what was used.
            sources.append(.init(role: "prior", path: prior.source, sha256: SHA256.hexDigest(of: Data(try prior.jsonString().utf8)),
                                 digestOf: "prior JSON"))
        } else {
            sources.append(.init(role: "prior", path: prior.source,
                                 sha256: try SHA256.hexDigest(ofFileAt: try Prior.builtinURL(named: "ariel-adc2023"))))
        }
        if let noise {
            sources.append(.init(role: "noise", path: noise, sha256: try SHA256.hexDigest(ofFileAt: URL(fileURLWithPath: noise))))
        } else {
            sources.append(.init(role: "noise", path: "<builtin:ariel_mcs_known_noise_1transit>",
                                 sha256: SHA256.hexDigest(of: Data(try noiseModel.jsonString().utf8)), digestOf: "noise model JSON"))
        }
        let provenance = MockCatalogue.Provenance(
            sources: sources, seed: seeding.seed, transits: builder.transits.description, prior: prior,
            simulator: resolved.simulator, noiseModel: noiseModel)
        try catalogue.write(to: URL(fileURLWithPath: out), provenance: provenance, replacingExisting: overwrite)
        print(CatalogueSummaryText.lines(catalogue, out: out, seconds: Date().timeIntervalSince(start)))
    }
}

/// The end-of-run summary: what was written, and every skipped target with its reason, grouped.
enum CatalogueSummaryText {
    static func lines(_ catalogue: MockCatalogue, out: String, seconds: Double) -> String {
        let considered = catalogue.targetCount + catalogue.skipped.count
        var text = """
            catalogue: \(out)
            targets: \(catalogue.targetCount) written, \(catalogue.skipped.count) skipped of \(considered)
            truths from the list: \(catalogue.catalogueParameters.joined(separator: ", "))
            """
        for (category, count) in catalogue.skippedCounts.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            text += "\n  skipped (\(category)): \(count)"
        }
        for target in catalogue.skipped {
            text += "\n  - row \(target.row) (line \(target.line)) \(target.name): \(target.reason)"
        }
        text += "\n" + String(format: "time: %.2f s", seconds)
        return text
    }
}
