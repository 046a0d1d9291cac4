import Foundation
import NPESupport

/// One evaluation result appended to a published version (`evaluations/<timestamp>-<kind>.json`), e.g. the
/// coverage report of `npe-validate`. Records sit beside the card and never change it or the weights.
public struct EvaluationRecord: Codable, Equatable, Sendable {
    /// The record format this library writes.
    public static let currentFormatVersion = 1

    /// The record's format version (1).
    public var formatVersion: Int
    /// What was evaluated, e.g. `coverage` or `sbc` (a name under ``RegistryName`` rules).
    public var kind: String
    /// When the evaluation ran (whole seconds, UTC); also the file name's timestamp.
    public var createdAt: Date
    /// The ExoNPE version that ran the evaluation.
    public var toolVersion: String
    /// The results, in whatever shape the evaluation defines.
    public var results: JSONValue

    /// A record of `kind` with `results`; `createdAt` is truncated to whole seconds.
    public init(kind: String, results: JSONValue, toolVersion: String, createdAt: Date = Date()) {
        self.formatVersion = Self.currentFormatVersion
        self.kind = kind
        self.results = results
        self.toolVersion = toolVersion
        self.createdAt = Date(timeIntervalSince1970: createdAt.timeIntervalSince1970.rounded(.down))
    }
}
