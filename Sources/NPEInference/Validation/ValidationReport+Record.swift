import Foundation
import NPERegistry
import NPESupport

extension ValidationReport {
    /// The evaluation-record kind `npe-validate` writes.
    public static let recordKind = "validation"

    /// The report as a registry evaluation record (kind ``recordKind``; results = the report's JSON).
    public func evaluationRecord(toolVersion: String, createdAt: Date = Date()) throws -> EvaluationRecord {
        EvaluationRecord(kind: Self.recordKind, results: try JSONDecoder().decode(JSONValue.self, from: jsonData(pretty: false)),
                         toolVersion: toolVersion, createdAt: createdAt)
    }

    /// The report stored in a record written by ``evaluationRecord(toolVersion:createdAt:)``.
    public init(record: EvaluationRecord) throws {
        self = try ValidationReport.decode(try JSONEncoder().encode(record.results))
    }
}
