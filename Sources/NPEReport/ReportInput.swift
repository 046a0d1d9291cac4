import Foundation
import NPEInference

/// What a report is made of: a posterior file (`docs/posterior-format.md`, versions 1 and 2, read without its
/// samples: the plots read those themselves) and, optionally, the model's evaluation by `npe-validate`.
public struct ReportInput: Sendable {
    public var posteriorURL: URL
    public var posterior: PosteriorFile
    public var evaluationURL: URL?
    public var evaluation: ValidationReport?

    /// Reads and checks both files.
    ///
    /// - Throws: ``ReportError/missingPosterior(path:)``, ``ReportError/unreadablePosterior(path:reason:)`` (an
    ///   unknown format version among others), ``ReportError/missingEvaluation(path:)`` and
    ///   ``ReportError/invalidEvaluation(path:reason:)``.
    public static func load(posterior url: URL, evaluation: URL?) throws -> ReportInput {
        guard FileManager.default.fileExists(atPath: url.path) else { throw ReportError.missingPosterior(path: url.path) }
        let posterior: PosteriorFile
        do {
            posterior = try PosteriorFile.read(from: url, includingSamples: false)
        } catch let error as InferenceError {
            // Its message already starts with the path: keep only the reason.
            if case let .output(_, reason) = error { throw ReportError.unreadablePosterior(path: url.path, reason: reason) }
            throw ReportError.unreadablePosterior(path: url.path, reason: "\(error)")
        } catch {
            throw ReportError.unreadablePosterior(path: url.path, reason: "\(error)")
        }
        return ReportInput(posteriorURL: url, posterior: posterior, evaluationURL: evaluation,
                           evaluation: try evaluation.map(loadEvaluation))
    }

    /// An `npe-validate` report: the JSON written with `--out`, or a registry evaluation record wrapping it in
    /// `results`.
    public static func loadEvaluation(_ url: URL) throws -> ValidationReport {
        guard FileManager.default.fileExists(atPath: url.path) else { throw ReportError.missingEvaluation(path: url.path) }
        do {
            let data = try Data(contentsOf: url)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ReportError.invalidEvaluation(path: url.path, reason: "the top level is not a JSON object")
            }
            if let results = object["results"] {
                return try ValidationReport.decode(try JSONSerialization.data(withJSONObject: results))
            }
            return try ValidationReport.decode(data)
        } catch let error as ReportError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw ReportError.invalidEvaluation(path: url.path, reason: "field '\(path)' is missing")
        } catch let DecodingError.typeMismatch(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw ReportError.invalidEvaluation(path: url.path, reason: "field '\(path)': \(context.debugDescription)")
        } catch {
            throw ReportError.invalidEvaluation(path: url.path, reason: "\(error)")
        }
    }
}
