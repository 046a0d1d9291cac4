import Foundation
import NPESimulators
import NPETransmission

/// Loading of the files a command names, with errors that name the file.
public enum DatasetInputs {
    /// The prior in `path` (YAML), the built-in prior of that name (``Prior/builtinNames``, e.g. `ariel-mcs-2024`)
    /// when `path` is such a name and no file of that name exists, or `fallback` when `path` is nil.
    public static func prior(at path: String?, fallback: Prior) throws -> Prior {
        guard let path else { return fallback }
        if let name = builtinPriorName(path) { return try Prior.builtin(named: name) }
        return try Prior(contentsOfYAML: URL(fileURLWithPath: path))
    }

    /// `argument` as a built-in prior's name: one of ``Prior/builtinNames`` that is not also an existing file.
    public static func builtinPriorName(_ argument: String) -> String? {
        guard Prior.builtinNames.contains(argument), !FileManager.default.fileExists(atPath: argument) else { return nil }
        return argument
    }

    /// The file a prior argument stands for: the bundled YAML for a built-in name, else the path itself.
    public static func priorFileURL(_ argument: String) throws -> URL {
        if let name = builtinPriorName(argument) { return try Prior.builtinURL(named: name) }
        return URL(fileURLWithPath: argument)
    }

    /// The simulator options of `--simulator-config FILE` (YAML) followed by each `--simulator-option KEY=VALUE`, so
    /// inline keys override the file's.
    ///
    /// - Throws: ``SimulatorConfigurationError`` naming the file, line and key.
    public static func simulatorOptions(file: String?, inline: [String]) throws -> [SimulatorOption] {
        var options = try file.map { try SimulatorOption.options(contentsOfYAML: URL(fileURLWithPath: $0)) } ?? []
        for text in inline { options.append(try SimulatorOption(inline: text)) }
        return options
    }

    /// The noise model in `path` (the JSON of ``NoiseModel``, as written by ``NoiseModel/jsonString()``), or
    /// `fallback` when `path` is nil.
    public static func noiseModel(at path: String?, fallback: NoiseModel) throws -> NoiseModel {
        guard let path else { return fallback }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DatasetBuildError.invalidInput(file: path, location: "file", reason: error.localizedDescription)
        }
        // Name an unknown kind ourselves: the decoder's own words are "Invalid number of keys found, expected one."
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            let known = ["none", "gaussianPerBin", "arielPhotonNoise", "perTargetTable"]
            guard object.count == 1, let kind = object.keys.first, known.contains(kind) else {
                throw DatasetBuildError.invalidInput(
                    file: path, location: "top level",
                    reason: "expected one noise model kind as the only key, one of \(known.joined(separator: ", ")); "
                        + "found \(object.keys.sorted().map { "'\($0)'" }.joined(separator: ", "))")
            }
        }
        do { return try JSONDecoder().decode(NoiseModel.self, from: data) } catch let DecodingError.dataCorrupted(
            context)
        {
            throw DatasetBuildError.invalidInput(
                file: path, location: fieldPath(context.codingPath),
                reason: context.debugDescription)
        } catch let DecodingError.keyNotFound(key, context) {
            throw DatasetBuildError.invalidInput(
                file: path, location: fieldPath(context.codingPath + [key]),
                reason: "missing")
        } catch let DecodingError.typeMismatch(_, context) {
            throw DatasetBuildError.invalidInput(
                file: path, location: fieldPath(context.codingPath),
                reason: context.debugDescription)
        } catch {
            throw DatasetBuildError.invalidInput(file: path, location: "noise model", reason: "\(error)")
        }
    }

    /// Checks a declared noise model against the spectra it will describe (`bins` values per row), so a build
    /// or import refuses what `npe-train` would refuse later: σ that are not finite and ≥ 0, or a σ count that is
    /// not the bin count.
    public static func checkNoiseModel(_ model: NoiseModel, bins: Int, source: String) throws {
        guard case .gaussianPerBin(let sigma) = model else {
            if let count = model.binCount, count != bins {
                throw DatasetBuildError.invalidInput(
                    file: source, location: "noise model", reason: "covers \(count) bins, but the spectra have \(bins)")
            }
            return
        }
        guard sigma.count == bins else {
            throw DatasetBuildError.invalidInput(
                file: source, location: "field 'gaussianPerBin.sigma'",
                reason: "\(sigma.count) values, but the spectra have \(bins) bins")
        }
        if let bad = sigma.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw DatasetBuildError.invalidInput(
                file: source, location: "field 'gaussianPerBin.sigma.\(bad)'",
                reason: "\(sigma[bad]) is not a finite σ ≥ 0")
        }
    }

    private static func fieldPath(_ path: [CodingKey]) -> String {
        path.isEmpty
            ? "top level"
            : "field '"
                + path.map { $0.intValue.map(String.init) ?? $0.stringValue }
                .joined(separator: ".") + "'"
    }
}
