import Foundation
import NPESimulators

/// Runs a simulator on the parameter rows of a CSV file and writes the outputs as CSV, so anyone can compare our
/// forward model with another code, or plot one model spectrum.
///
/// Input: a header naming columns, one row per model. Each simulator input is taken from the column of the same
/// name; an input without a column takes its value from a `fixed` parameter of the optional prior, and is otherwise an
/// error naming the file and the missing column. Extra columns are ignored.
///
/// Output: the input columns in the simulator's order, then one column per output: `depth_<λ>um` (bin centre in
/// micrometres) for spectral simulators, `x_<k>` otherwise. Values are printed in Swift's shortest round-trip form.
/// A row whose simulation throws or returns NaN/∞ is written with `nan`/`inf` values and counted, never dropped.
public struct ParameterTableSimulation {
    /// The model to run.
    public let simulator: any Simulator
    /// Supplies values of `fixed` parameters for inputs the CSV lacks.
    public let prior: Prior?

    public init(simulator: any Simulator, prior: Prior? = nil) {
        self.simulator = simulator
        self.prior = prior
    }

    /// What a run did.
    public struct Outcome: Sendable {
        /// Rows simulated.
        public var rows: Int
        /// Rows with a non-finite output or a thrown simulator error, and the first such message.
        public var failedRows: Int
        public var firstFailure: String?
    }

    /// The output column names.
    public var outputColumnNames: [String] {
        if let grid = simulator.spectralGrid {
            return grid.wavelengths.map { "depth_" + String(format: "%.6g", $0) + "um" }
        }
        return (0..<simulator.outputCount).map { "x_\($0)" }
    }

    /// Reads `parameters` (CSV), simulates every row, writes `output` (CSV) atomically.
    ///
    /// - Parameter replacingExisting: an existing `output` is an error unless this is true (checked before any
    ///   simulation, so a mistyped `--out` costs nothing); `output` may never be the `parameters` file itself.
    public func run(parameters: URL, output: URL, replacingExisting: Bool = false) throws -> Outcome {
        let (input, target) = (parameters.standardizedFileURL.resolvingSymlinksInPath(), output.standardizedFileURL.resolvingSymlinksInPath())
        guard input.path != target.path else {
            throw DatasetBuildError.invalidArgument(
                field: "out", reason: "\(output.path) is the --params file itself; choose another output name")
        }
        if !replacingExisting && FileManager.default.fileExists(atPath: output.path) {
            throw DatasetBuildError.invalidArgument(
                field: "out", reason: "\(output.path) already exists; pass --overwrite to replace it, or choose another name")
        }
        let table = try NumericCSV(contentsOf: parameters)
        var sources: [(column: Int?, fixed: Double?)] = []
        for name in simulator.inputNames {
            if let column = table.column(named: name) {
                sources.append((column, nil))
            } else if let parameter = prior?.parameter(named: name), parameter.distribution.isFixed {
                sources.append((nil, parameter.distribution.quantile(0.5)))
            } else {
                throw DatasetBuildError.invalidInput(
                    file: table.file, location: "header",
                    reason: "no column '\(name)' (input of simulator '\(simulator.name)'; "
                        + "needed: \(simulator.inputNames.joined(separator: ", ")))")
            }
        }
        var text = (simulator.inputNames + outputColumnNames).joined(separator: ",") + "\n"
        var inputs = [Double](repeating: 0, count: sources.count)
        var failed = 0
        var firstFailure: String?
        for row in 0..<table.rowCount {
            for (j, source) in sources.enumerated() {
                inputs[j] = source.column.map { table.values[row * table.columnCount + $0] } ?? source.fixed!
            }
            var values: [Double]
            do {
                values = try simulator.simulate(inputs)
            } catch {
                values = Array(repeating: .nan, count: simulator.outputCount)
                if firstFailure == nil { firstFailure = "line \(table.lineNumbers[row]) (row \(row)): \(error)" }
            }
            if values.contains(where: { !$0.isFinite }) {
                failed += 1
                if firstFailure == nil {
                    firstFailure = "line \(table.lineNumbers[row]) (row \(row)): non-finite output"
                }
            }
            text += (inputs + values).map(Self.format).joined(separator: ",") + "\n"
        }
        try AtomicFileWriting.write(Data(text.utf8), to: output.standardizedFileURL)
        return Outcome(rows: table.rowCount, failedRows: failed, firstFailure: firstFailure)
    }

    static func format(_ value: Double) -> String {
        value.isNaN ? "nan" : value.isInfinite ? (value > 0 ? "inf" : "-inf") : "\(value)"
    }
}
