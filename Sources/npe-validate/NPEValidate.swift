import ArgumentParser
import Foundation
import NPEData
import NPEDatasets
import NPECommandLine
import NPEInference
import NPEModelKinds
import NPEModels
import NPERegistry
import NPESimulators

/// `npe-validate`: calibration and accuracy of a registered model on held-out simulations. The work is in
/// NPEInference's `Validation`; this parses arguments, loads, prints and records.
@main
struct NPEValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "npe-validate",
        abstract: "Validate a registered NPE model on a held-out dataset: coverage, SBC, TARP, RMSE, ADC2023/C2ST.",
        discussion: """
            TEST is a training-format dataset (noise-free spectra). Each row gets noise drawn from the model's \
            declared training noise with a fixed validation seed, then --samples posterior samples. The table is \
            printed, the report is appended to the model version as an evaluation record (kind 'validation'), and \
            written to --out when given (draw it with scripts/plot-coverage).
            """)

    @OptionGroup var model: ModelOptions

    @Option(help: "Held-out dataset: a dataset directory (holding dataset.h5) or file, training format.")
    var dataset: String

    @Option(help: "Posterior samples per row.")
    var samples = 1000

    @Option(help: "Use the first N usable rows (default: all).")
    var rows: Int?

    @Option(help: "Validation seed (noise and sampling).")
    var seed: UInt64 = ValidationOptions.defaultSeed

    @OptionGroup var threading: ThreadOptions

    @Option(help: "Rows scored against importance-weighted reference samples (ADC2023; costs rows × samples simulations).")
    var referenceRows = 0

    @Flag(help: "Also run C2ST on the reference rows (trains a small classifier per row).")
    var c2st = false

    @Option(help: ArgumentHelp("Bins left unobserved in every test spectrum, e.g. 42-51 (AIRS-CH1 on the ADC2023 grid) or 0,3-8 (0-based).",
                               discussion: "Needs a model trained with mask_augmentation."))
    var missingBins: String?

    @Option(help: "Also write the report as JSON here.")
    var out: String?

    @Flag(help: "Do not append the evaluation record to the registry.")
    var noRecord = false

    func validate() throws {
        guard samples >= 2 else { throw ValidationError("--samples must be at least 2 (got \(samples))") }
        if let rows, rows < 2 { throw ValidationError("--rows must be at least 2 (got \(rows))") }
        guard referenceRows >= 0 else { throw ValidationError("--reference-rows must not be negative") }
    }

    func run() throws {
        let store = ModelRegistry(root: URL(fileURLWithPath: model.registry))
        let loaded = try store.load(model.model)
        let url = URL(fileURLWithPath: dataset)
        // The exact likelihood needs the simulator that made the dataset; only built-in ones are known.
        var simulator: (any Simulator)?
        if referenceRows > 0 {
            let reader = try TrainingDatasetReader(contentsOf: try Validation.datasetFile(url))
            let metadata = reader.metadata
            try reader.close()
            // Rebuilt with the dataset's recorded configuration, so a cloudy test set is scored with clouds.
            simulator = try TrainingSimulators.recorded(in: metadata)
        }
        var options = ValidationOptions(samples: samples, rows: rows, seed: seed, workers: threading.count, referenceRows: referenceRows,
                                        classifierTest: c2st)
        if let missingBins { options.missingBins = try ValidationOptions.bins(parsing: missingBins) }
        let report = try Validation.run(
            model: try ModelKinds.kind(of: loaded).validationModel(for: loaded), dataset: url, simulator: simulator, options: options)
        print(report.table())
        if !noRecord {
            let file = try store.appendEvaluation(try report.evaluationRecord(toolVersion: PosteriorModel.toolVersion), to: loaded.id)
            print("evaluation record: \(file.path)")
        }
        if let out {
            try report.write(to: URL(fileURLWithPath: out))
            print("report: \(out)")
        }
    }
}
