import ArgumentParser
import Foundation
import NPEDatasets

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the simulator on parameter rows (CSV, columns by input name) and write the outputs as CSV.")

    @Option(help: "CSV of parameters: one column per simulator input, by name.")
    var params: String

    @Option(help: "Output CSV: the inputs, then one column per bin (depth_<wavelength>um).")
    var out: String

    @Option(help: "Simulator: \(SimulatorCatalog.names.joined(separator: ", ")).")
    var simulator = "ariel-transmission"

    @Option(help: "Prior YAML (or built-in name) whose fixed parameters fill inputs the CSV lacks.")
    var prior: String?

    @OptionGroup var simulatorOptions: SimulatorConfigurationOptions

    @Flag(help: "Replace an existing --out file.")
    var overwrite = false

    func run() throws {
        let resolved = try simulatorOptions.resolve(simulator: simulator, prior: prior)
        // Only a prior that was asked for fills inputs; the default one has no fixed parameters to give.
        let prior = self.prior != nil || simulatorOptions.model != nil ? resolved.prior : nil
        let outcome = try ParameterTableSimulation(simulator: resolved.simulator, prior: prior)
            .run(parameters: URL(fileURLWithPath: params), output: URL(fileURLWithPath: out), replacingExisting: overwrite)
        print(
            "simulated \(outcome.rows) rows into \(out); failures: \(outcome.failedRows)"
                + (outcome.firstFailure.map { " (first: \($0))" } ?? ""))
    }
}
