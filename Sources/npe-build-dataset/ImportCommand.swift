import ArgumentParser
import Foundation
import NPEDatasets
import NPESimulators

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn (theta, x) pairs from another simulator into an ExoNPE dataset (DIR/dataset.h5).",
        discussion: """
            Sources: --from FILE.h5 (datasets 'theta' [N,D], 'x' [N,M], optional 'context' [N,A], float32/float64; \
            optional 'wavelength' and 'bin_width'), --from FILE.csv (a column per prior theta/context name, then \
            x_0, x_1, …), or --theta T.npy --x X.npy [--context C.npy]. The prior gives the column names; NaNs, \
            values outside the prior, and mismatched row counts are errors naming the file, dataset and row. \
            No noise is declared (training adds none) unless --noise-model is given.
            """)

    @Option(help: "HDF5 (.h5/.hdf5) or CSV (.csv) file of pairs.")
    var from: String?

    @Option(help: ".npy file of theta [N, D] (with --x).")
    var theta: String?

    @Option(help: ".npy file of x [N, M] (with --theta).")
    var x: String?

    @Option(help: ".npy file of context [N, A] (with --theta and --x).")
    var context: String?

    @Option(help: "Prior YAML file: names, units and ranges of theta and context columns.")
    var prior: String

    @Option(help: "Output directory, e.g. datasets/NAME.")
    var out: String

    @Option(help: "Noise model JSON to declare (default: none).")
    var noiseModel: String?

    @Option(help: "Name of the simulator that made the pairs, for provenance.")
    var simulatorName = "external"

    @Option(help: "Version of that simulator, for provenance.")
    var simulatorVersion = "unknown"

    func validate() throws {
        let numpy = theta != nil || x != nil || context != nil
        guard (from != nil) != numpy else {
            throw ValidationError("give either --from FILE.h5|FILE.csv or --theta T.npy --x X.npy")
        }
        if numpy && (theta == nil || x == nil) { throw ValidationError("--theta and --x are both needed") }
        if let from, from.lowercased().hasSuffix(".npy") {
            throw ValidationError(
                "\(from): for .npy give one file per array: --theta T.npy --x X.npy [--context C.npy]")
        }
    }

    func run() throws {
        let source: DatasetImporter.Source
        if let from {
            let url = URL(fileURLWithPath: from)
            source = from.lowercased().hasSuffix(".csv") ? .csv(url) : .hdf5(url)
        } else {
            source = .numpy(
                theta: URL(fileURLWithPath: theta!), x: URL(fileURLWithPath: x!),
                context: context.map { URL(fileURLWithPath: $0) })
        }
        let importer = DatasetImporter(
            source: source, prior: try Prior(contentsOfYAML: URL(fileURLWithPath: prior)),
            noiseModel: try DatasetInputs.noiseModel(at: noiseModel, fallback: .none), simulatorName: simulatorName,
            simulatorVersion: simulatorVersion)
        print(SummaryText.lines(try importer.importDataset(into: URL(fileURLWithPath: out))))
    }
}
