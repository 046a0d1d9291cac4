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

    private static func fieldPath(_ path: [CodingKey]) -> String {
        path.isEmpty
            ? "top level"
            : "field '"
                + path.map { $0.intValue.map(String.init) ?? $0.stringValue }
                .joined(separator: ".") + "'"
    }
}
