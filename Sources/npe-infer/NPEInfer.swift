import ArgumentParser
import Foundation
import NPEChecksum
import NPECommandLine
import NPEInference
import NPEModelKinds
import NPERegistry

/// `npe-infer`: posteriors for a catalogue of spectra from a registered model.
struct NPEInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "npe-infer",
        abstract: "Sample posteriors for every target of a catalogue (HDF5 or CSV) with a registered model.",
        discussion: """
            Writes OUT (HDF5, docs/posterior-format.md) and OUT's .summary.csv. Finished batches are kept under \
            OUT.parts/ until the end, so an interrupted run continues with --resume and gives the same output.
            """)

    @OptionGroup var model: ModelOptions
    @Option(help: "The catalogue: .h5/.hdf5 (x, wavelength, optional sigma, context, id, theta_true) or .csv.") var catalogue: String
    @Option(help: "Posterior samples per target (S).") var samples: Int
    @Option(help: ArgumentHelp(
        "FlexARE pre-processing before the model: ROLE@REF[,ROLE@REF], ROLE denoiser or imputer, run in the order given.",
        discussion: "The model samples from the processed spectrum; importance weights and the predictive check score the data as given."))
    var preprocess: String?
    @Option(help: "The posterior file to write.") var out: String
    @Flag(help: "Weigh the samples against the exact likelihood of the model's simulator (S simulations per target).")
    var importanceSampling = false
    @OptionGroup var threading: ThreadOptions
    @Flag(help: "Continue an interrupted run (same model, catalogue, samples, seed and importance-sampling setting).")
    var resume = false
    @OptionGroup var seeding: SeedOptions
    @Option(help: "Targets per shard written to OUT.parts/.") var batchTargets: Int = 64
    @Option(help: "Flag targets whose largest per-bin |z| against the training x exceeds this.")
    var zThreshold: Double = 5
    @Option(help: "Flag targets whose importance-sampling efficiency (ESS/S) is below this.")
    var lowEfficiency: Double = InferenceSettings.defaultLowEfficiencyThreshold
    @Option(help: "Also flag targets whose importance-sampling effective sample size (ESS) is below this.")
    var minEss: Double = InferenceSettings.defaultMinimumEffectiveSampleSize
    @Option(help: ArgumentHelp(
        "Posterior draws simulated per target for the posterior predictive check (χ², p-value, model_misfit); 0 turns it off.",
        discussion: "Default: 100 (at most --samples without importance sampling) when the model's simulator is built in."))
    var predictiveDraws: Int?
    @Option(help: "Noise replicates per predictive draw (they cost no simulation; they resolve small p-values).")
    var predictiveReplicates: Int = PosteriorPredictiveCheck.defaultReplicates
    @Option(help: "Flag model_misfit when the posterior predictive p-value is below this.")
    var misfitPValue: Double = PosteriorPredictiveCheck.defaultMisfitThreshold

    func run() throws {
        do {
            try infer()
        } catch let error as ValidationError {
            throw error
        } catch {
            // Typed library errors carry the file, field or reason; print them as they are.
            FileHandle.standardError.write(Data("npe-infer: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    func infer() throws {
        let settings = InferenceSettings(samplesPerTarget: samples, seed: seeding.seed, importanceSampling: importanceSampling,
                                         batchTargets: batchTargets, threads: threading.count,
                                         lowEfficiencyThreshold: lowEfficiency, minimumEffectiveSampleSize: minEss,
                                         zThreshold: zThreshold,
                                         predictiveDraws: predictiveDraws
                                             ?? min(PosteriorPredictiveCheck.defaultDraws, importanceSampling ? Int.max : samples),
                                         predictiveReplicates: predictiveReplicates, misfitThreshold: misfitPValue)
        let loaded = try ModelRegistry(root: URL(fileURLWithPath: model.registry)).load(model.model)
        let catalogueURL = URL(fileURLWithPath: catalogue)
        var (job, note) = try ModelKinds.kind(of: loaded).inferenceJob(
            for: loaded, catalogue: InferenceCatalogue(url: catalogueURL, sha256: try SHA256.hexDigest(ofFileAt: catalogueURL)),
            settings: settings, predictiveRequested: predictiveDraws != nil)
        if let preprocess {
            job = try ModelKinds.preprocessed(job, by: preprocess, registry: ModelRegistry(root: URL(fileURLWithPath: model.registry)))
        }
        if let note { FileHandle.standardError.write(Data("npe-infer: \(note)\n".utf8)) }
        let bar = ProgressBar()
        // Ctrl-C finishes the current batch and stops with every finished batch kept for --resume.
        let stop = StopRequest(notice: "npe-infer: stopping after the current batch (again to quit at once)")
        defer { bar.finish() }
        let summary = try InferenceRun.run(job, output: URL(fileURLWithPath: out), resume: resume, progress: { progress in
            let fraction = progress.totalTargets > 0 ? Double(progress.completedTargets) / Double(progress.totalTargets) : 1
            let text = "targets \(progress.completedTargets)/\(progress.totalTargets) "
                + String(format: "%5.1f%%  %.1f targets/s  ETA %@  flagged %d", 100 * fraction, progress.targetsPerSecond,
                         ProgressBar.duration(progress.estimatedSecondsLeft ?? .nan), progress.flaggedTargets)
                + (progress.resumedTargets > 0 ? "  (resumed \(progress.resumedTargets))" : "")
            bar.show(fraction: fraction, text: text, always: progress.completedTargets == progress.totalTargets)
        }, shouldStop: { stop.isRequested })
        bar.finish()
        print(SummaryText.render(summary, job: job))
    }
}
