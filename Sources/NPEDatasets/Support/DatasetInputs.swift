import Foundation
import NPESimulators

/// Loading of the files a command names, with errors that name the file.
public enum DatasetInputs {
    /// The prior in `path` (YAML), or `fallback` when `path` is nil.
    public static func prior(at path: String?, fallback: Prior) throws -> Prior {
        guard let path else { return fallback }
        return try Prior(contentsOfYAML: URL(fileURLWithPath: path))
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
