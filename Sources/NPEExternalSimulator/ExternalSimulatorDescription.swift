import Foundation
import NPECSV
import NPESimulators
import Yams

/// The YAML description of an external simulator, contract version 1 (`docs/external-simulators.md`):
///
/// ```yaml
/// contract: 1                 # optional; the only version so far
/// simulator:
///   name: my-taurex           # recorded (as exec:my-taurex) in provenance and model cards
///   version: "3.3.2"
///   command: [python3, sim.py]   # run in the YAML's directory with two more arguments: IN.h5 OUT.h5
///   inputs: [planet_radius, planet_temp, log_H2O]
///   outputs: 52               # or wavelength_file: grid.csv (columns centre_um, width_um)
///   batch: 1000               # rows per call (default 1000)
///   workers: 2                # concurrent calls in this process (default 1)
///   timeout_s: 600            # per call (default 600)
///   max_failure_fraction: 0.5 # default 0.5
///   environment: {OMP_NUM_THREADS: "1"}
///   stochastic: false         # true: noise inside the simulator (no importance sampling)
///   prior: prior.yaml         # optional default prior (a file next to the YAML, or a built-in name)
/// ```
///
/// Relative paths (`wavelength_file`, `prior`, files named in `command`) are relative to the YAML's directory,
/// which is also the command's working directory, so a description and its scripts move together.
public struct ExternalSimulatorDescription: Sendable, Equatable {
    /// The contract version this build reads.
    public static let contractVersion = 1

    /// The YAML file, absolute and standardised.
    public var file: URL
    public var name: String
    public var version: String
    /// The command and its arguments, as written; IN.h5 and OUT.h5 are appended per call.
    public var command: [String]
    /// The simulator inputs (θ and context columns), in the order of IN.h5's `theta` columns.
    public var inputs: [String]
    /// M, the values per row of OUT.h5's `x`.
    public var outputCount: Int
    /// `wavelength_file` as written, and the grid it holds.
    public var wavelengthFile: String?
    public var spectralGrid: SpectralGrid?
    /// Rows per call.
    public var batch: Int
    /// Calls run at once by one process (all threads share them).
    public var workers: Int
    /// Seconds one call may run before its process group is killed and its rows fail.
    public var timeoutSeconds: Double
    /// The fraction of failed rows above which the run stops.
    public var maxFailureFraction: Double
    /// Added to (or replacing in) the inherited environment of each call.
    public var environment: [String: String]
    /// Whether the outputs are random given θ (noise inside the simulator).
    public var stochastic: Bool
    /// The default prior, as written (a file relative to the YAML, or a built-in prior name).
    public var prior: String?

    /// The directory the command runs in and relative paths resolve against.
    public var directory: URL { file.deletingLastPathComponent() }

    static let keys = ["name", "version", "command", "inputs", "outputs", "wavelength_file", "batch", "workers",
                       "timeout_s", "max_failure_fraction", "environment", "stochastic", "prior"]

    /// Reads and checks a description file.
    ///
    /// - Throws: ``ExternalSimulatorError/invalidDescription(file:key:line:reason:)`` naming the file, the key and
    ///   its line: unreadable file, invalid YAML, unknown or missing key, wrong type, non-positive sizes, a
    ///   wavelength file that is not a grid.
    public init(contentsOf url: URL) throws {
        let file = url.standardizedFileURL
        let text: String
        do { text = try String(contentsOf: file, encoding: .utf8) } catch {
            throw ExternalSimulatorError.invalidDescription(file: file.path, key: "", line: nil, reason: "cannot read (\(error.localizedDescription))")
        }
        try self.init(yaml: text, file: file)
    }

    /// Parses description text that lives (or would live) at `file`, against which relative paths resolve.
    public init(yaml text: String, file: URL) throws {
        let path = file.path
        func fail(_ key: String, _ node: Node?, _ reason: String) -> ExternalSimulatorError {
            .invalidDescription(file: path, key: key, line: node.flatMap { $0.mark.map { $0.line } }, reason: reason)
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw fail("", nil, "not valid YAML (\(error))")
        }
        guard let top = root?.mapping else { throw fail("", root, "expected a mapping with the key 'simulator'") }
        var section: Node.Mapping?
        for (key, value) in top {
            switch key.scalar?.string {
            case "contract":
                guard Int(value.scalar?.string ?? "") == Self.contractVersion else {
                    throw fail("contract", value, "contract version '\(value.scalar?.string ?? "?")' is not supported (this build reads \(Self.contractVersion))")
                }
            case "simulator":
                guard let mapping = value.mapping else { throw fail("simulator", value, "expected a mapping") }
                section = mapping
            default:
                throw fail(key.scalar?.string ?? "?", key, "unknown key (known: contract, simulator)")
            }
        }
        guard let section else { throw fail("simulator", root, "missing (the description is one 'simulator:' mapping)") }
        var values: [String: (key: Node, value: Node)] = [:]
        for (key, value) in section {
            let name = key.scalar?.string ?? "?"
            guard Self.keys.contains(name) else {
                throw fail("simulator.\(name)", key, "unknown key (known: \(Self.keys.joined(separator: ", ")))")
            }
            guard values[name] == nil else { throw fail("simulator.\(name)", key, "given twice") }
            values[name] = (key, value)
        }
        func scalar(_ key: String, required: Bool = false) throws -> (text: String, node: Node)? {
            guard let entry = values[key] else {
                if required { throw fail("simulator.\(key)", root, "missing") }
                return nil
            }
            guard let text = entry.value.scalar?.string, !text.isEmpty else {
                throw fail("simulator.\(key)", entry.key, "expected a single value")
            }
            return (text, entry.key)
        }
        func list(_ key: String) throws -> [String] {
            guard let entry = values[key] else { throw fail("simulator.\(key)", root, "missing") }
            guard let items = entry.value.sequence, !items.isEmpty else {
                throw fail("simulator.\(key)", entry.key, "expected a non-empty list")
            }
            return try items.map { item in
                guard let text = item.scalar?.string, !text.isEmpty else {
                    throw fail("simulator.\(key)", item, "every element must be a non-empty string")
                }
                return text
            }
        }
        func positiveInteger(_ key: String, default value: Int) throws -> Int {
            guard let (text, node) = try scalar(key) else { return value }
            guard let number = Int(text), number > 0 else { throw fail("simulator.\(key)", node, "'\(text)' is not a positive integer") }
            return number
        }
        func number(_ key: String, default value: Double, in range: ClosedRange<Double>, what: String) throws -> Double {
            guard let (text, node) = try scalar(key) else { return value }
            guard let number = Double(text), number.isFinite, range.contains(number), number > 0 || range.lowerBound == 0 else {
                throw fail("simulator.\(key)", node, "'\(text)' is not \(what)")
            }
            return number
        }

        let declared = try scalar("outputs")
        let wavelengthFile = try scalar("wavelength_file")?.text
        var grid: SpectralGrid?
        let count: Int
        if let wavelengthFile {
            let read = try Self.readGrid(wavelengthFile, relativeTo: file.deletingLastPathComponent(),
                                         error: { fail("simulator.wavelength_file", values["wavelength_file"]?.key, $0) })
            grid = read
            count = read.wavelengths.count
            if let (text, node) = declared, Int(text) != count {
                throw fail("simulator.outputs", node, "'\(text)' differs from the \(count) bins of \(wavelengthFile)")
            }
        } else {
            guard let (text, node) = declared else {
                throw fail("simulator.outputs", root, "missing (give outputs: M or wavelength_file: FILE)")
            }
            guard let number = Int(text), number > 0 else { throw fail("simulator.outputs", node, "'\(text)' is not a positive integer") }
            count = number
        }
        let name = try scalar("name", required: true)!.text
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw fail("simulator.name", values["name"]?.key, "'\(name)' may hold only letters, digits, '-', '_' and '.'")
        }
        let version = try scalar("version", required: true)!.text
        let command = try list("command")
        let inputs = try list("inputs")
        if let duplicate = inputs.first(where: { name in inputs.filter { $0 == name }.count > 1 }) {
            throw fail("simulator.inputs", values["inputs"]?.key, "'\(duplicate)' is listed twice")
        }
        let batch = try positiveInteger("batch", default: 1000)
        let workers = try positiveInteger("workers", default: 1)
        let timeoutSeconds = try number("timeout_s", default: 600, in: 0...1e9, what: "a positive number of seconds")
        let maxFailureFraction = try number("max_failure_fraction", default: 0.5, in: 0...1, what: "a fraction between 0 and 1")
        var environment: [String: String] = [:]
        if let entry = values["environment"] {
            guard let mapping = entry.value.mapping else { throw fail("simulator.environment", entry.key, "expected a mapping NAME: \"value\"") }
            for (key, value) in mapping {
                guard let variable = key.scalar?.string, !variable.isEmpty, !variable.contains("="), let text = value.scalar?.string else {
                    throw fail("simulator.environment", key, "expected NAME: \"value\" pairs")
                }
                environment[variable] = text
            }
        }
        let stochastic: Bool
        if let (text, node) = try scalar("stochastic") {
            guard let flag = Bool(text.lowercased()) else { throw fail("simulator.stochastic", node, "'\(text)' is not true or false") }
            stochastic = flag
        } else {
            stochastic = false
        }
        let prior = try scalar("prior")?.text

        self.file = file
        self.name = name
        self.version = version
        self.command = command
        self.inputs = inputs
        self.outputCount = count
        self.wavelengthFile = wavelengthFile
        self.spectralGrid = grid
        self.batch = batch
        self.workers = workers
        self.timeoutSeconds = timeoutSeconds
        self.maxFailureFraction = maxFailureFraction
        self.environment = environment
        self.stochastic = stochastic
        self.prior = prior

    }

    /// A path as written, resolved against the YAML's directory.
    public func resolve(_ path: String) -> URL { Self.resolve(path, relativeTo: directory) }

    static func resolve(_ path: String, relativeTo directory: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path).standardizedFileURL
            : directory.appendingPathComponent(path).standardizedFileURL
    }

    /// Reads a grid CSV: columns `centre_um` and `width_um` (µm), one row per output, in output order.
    private static func readGrid(_ path: String, relativeTo directory: URL, error: (String) -> Error) throws -> SpectralGrid {
        let url = resolve(path, relativeTo: directory)
        do {
            let table = try CSVTable(contentsOf: url)
            let centre = try table.columnIndex("centre_um"), width = try table.columnIndex("width_um")
            guard !table.rows.isEmpty else { throw error("\(url.path) has no rows") }
            var centres: [Double] = [], widths: [Double] = []
            for row in table.rows {
                centres.append(try table.number(row, centre, nonNegative: true))
                widths.append(try table.number(row, width, nonNegative: true))
            }
            return SpectralGrid(wavelengths: centres, binWidths: widths)
        } catch let problem as CSVError {
            throw error("\(problem)")
        }
    }
}
