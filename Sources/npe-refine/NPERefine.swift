import ArgumentParser
import Foundation
import NPECommandLine
import NPESequential
import NPETensor

/// `npe-refine`: sequential rounds (TSNPE, APT, SNPE-IS) for the targets an amortised model cannot settle.
struct NPERefine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "npe-refine",
        abstract: "Refine chosen targets of a catalogue with sequential rounds, starting from a registered model.",
        discussion: """
            Writes OUT in npe-infer's posterior format for the whole catalogue (refined targets sampled from their \
            refined models, the others from MODEL), OUT.rounds.json (every round's record), the rounds under \
            OUT.refine/, and publishes MODEL-refined-TARGET per target with its lineage. See docs/refine.md.
            """)

    @OptionGroup var model: ModelOptions
    @Option(help: "The catalogue (.h5/.hdf5 or .csv, as npe-infer reads it).") var catalogue: String
    @Option(help: "Refine only these target ids (comma-separated).") var targets: String?
    @Option(help: "Refine the targets this npe-infer posterior file flagged.") var flagged: String?
    @Option(help: "tsnpe, apt or snpe-is.") var method: SequentialMethod = .tsnpe
    @Option(help: "Rounds per target (SNPE-IS may stop earlier).") var rounds: Int = 5
    @Option(help: "Simulations per round.") var simulationsPerRound: Int = 2048
    @Option(help: "SNPE-IS stops at this Kish ESS of a round's draws.") var minEss: Double = 200
    @Option(help: "Atoms of the APT loss.") var atoms: Int = 10
    @Option(help: "Most training epochs per round.") var epochs: Int = SequentialSettings.defaultTraining.epochs
    @Option(help: "Targets refined at once; the threads are shared between them.") var concurrentTargets: Int = 2
    @Option(help: "Posterior samples per target in OUT.") var samples: Int = 2000
    @Flag(inversion: .prefixedNo, help: "Weigh OUT's samples against the exact likelihood.") var importanceSampling = true
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var seeding: SeedOptions
    @Option(help: "The posterior file to write.") var out: String
    @Flag(help: "Continue an interrupted run (same model, catalogue, targets and settings).") var resume = false

    func validate() throws {
        if targets != nil && flagged != nil { throw ValidationError("give --targets or --flagged, not both") }
        if concurrentTargets < 1 { throw ValidationError("--concurrent-targets must be positive") }
    }

    func run() throws {
        var settings = SequentialSettings()
        settings.method = method
        settings.rounds = rounds
        settings.simulationsPerRound = simulationsPerRound
        settings.minimumEffectiveSampleSize = minEss
        settings.atoms = atoms
        settings.training.epochs = epochs
        settings.seed = seeding.seed
        settings.threads = max(1, threading.count / concurrentTargets)
        let selection: TargetSelection = flagged.map { .flagged(URL(fileURLWithPath: $0)) }
            ?? targets.map { .ids($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) } ?? .all
        let request = RefinementRequest(
            registry: URL(fileURLWithPath: model.registry), model: model.model, catalogue: URL(fileURLWithPath: catalogue),
            selection: selection, settings: settings, concurrentTargets: concurrentTargets, samples: samples,
            importanceSampling: importanceSampling, output: URL(fileURLWithPath: out), resume: resume)
        // Several targets train at once: one BLAS thread each, or they would fight over the cores.
        Engine.configure(blasThreads: concurrentTargets > 1 ? 1 : threading.count)
        let stop = StopRequest(notice: "npe-refine: stopping after the current training step (again to quit at once)")
        let lock = NSLock()
        do {
            let summary = try RefinementRun.run(request, log: { line in
                lock.lock()
                FileHandle.standardError.write(Data((line + "\n").utf8))
                lock.unlock()
            }, shouldStop: { stop.isRequested })
            print(RefinementSummaryText.render(summary, request: request))
        } catch {
            FileHandle.standardError.write(Data("npe-refine: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension SequentialMethod: ExpressibleByArgument {}
