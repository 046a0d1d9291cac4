import Foundation
import NPEChecksum
import NPESimulators

extension ExternalSimulator {
    /// The identity recorded in a dataset (`simulator_config`) and, through it, in model cards: everything that
    /// can change the outputs, as strings.
    ///
    /// - `yaml`: the description's absolute path; `command`, `inputs`, `environment`: JSON; `outputs`: M;
    /// - `file_sha256`: JSON object, each command argument that names an existing file → its SHA-256
    ///   (so an edited script is a different simulator);
    /// - `wavelength_file` and `wavelength_sha256` when the grid comes from a file;
    /// - `stochastic`, and for a stochastic simulator `batch` (it sets which rows share a call seed).
    ///
    /// `workers`, `timeout_s` and `max_failure_fraction` are left out: they decide how the rows are run, not what
    /// they hold, so they may change between a build and its `--resume`.
    public var configuration: [String: String] {
        var record: [String: String] = [
            "contract": String(ExternalSimulatorDescription.contractVersion),
            "yaml": contract.file.path,
            "command": Self.json(contract.command),
            "inputs": Self.json(contract.inputs),
            "outputs": String(contract.outputCount),
            "environment": Self.json(contract.environment),
            "file_sha256": Self.json(fileDigests),
            "stochastic": String(contract.stochastic),
        ]
        if let file = contract.wavelengthFile {
            record["wavelength_file"] = file
            record["wavelength_sha256"] = (try? SHA256.hexDigest(ofFileAt: contract.resolve(file))) ?? "unreadable"
        }
        if contract.stochastic { record["batch"] = String(contract.batch) }
        return record
    }

    /// The simulator a dataset or a card recorded, rebuilt from its description file, and refused unless it
    /// would record exactly the same identity (same command, inputs, outputs, environment and file digests).
    ///
    /// - Throws: ``ExternalSimulatorError/notReproducible(simulator:reason:)`` naming the first difference.
    public init(recorded: [String: String]) throws {
        guard let path = recorded["yaml"] else {
            throw ExternalSimulatorError.notReproducible(simulator: "exec", reason: "the record names no description file ('yaml')")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw ExternalSimulatorError.notReproducible(simulator: "exec", reason: "its description \(path) no longer exists")
        }
        let contract: ExternalSimulatorDescription
        do { contract = try ExternalSimulatorDescription(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ExternalSimulatorError.notReproducible(simulator: "exec", reason: "\(error)")
        }
        try self.init(contract: contract)
        let now = configuration
        if let key = Set(recorded.keys).union(now.keys).sorted().first(where: { recorded[$0] != now[$0] }) {
            throw ExternalSimulatorError.notReproducible(
                simulator: name,
                reason: "'\(key)' was \(recorded[key] ?? "absent") when the data were simulated, \(path) now gives "
                    + "\(now[key] ?? "absent")")
        }
    }

    /// SHA-256 of each command argument that names an existing regular file (relative to the YAML's directory,
    /// or absolute; links are followed), keyed by the argument as written.
    static func digests(of contract: ExternalSimulatorDescription) throws -> [String: String] {
        var digests: [String: String] = [:]
        for argument in contract.command {
            let url = contract.resolve(argument)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            do { digests[argument] = try SHA256.hexDigest(ofFileAt: url.resolvingSymlinksInPath()) } catch {
                throw ExternalSimulatorError.invalidDescription(
                    file: contract.file.path, key: "simulator.command", line: nil, reason: "cannot digest \(url.path): \(error)")
            }
        }
        return digests
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }
}
