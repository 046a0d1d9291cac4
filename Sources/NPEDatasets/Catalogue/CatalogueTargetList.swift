import Foundation
import NPEChecksum
import NPECSV
import NPESimulators

/// A list of real targets (one planet per CSV row) to turn into a mock observed catalogue.
///
/// Reading is strict about the file and lenient about gaps: a missing required column, a ragged row or a cell that
/// is not a number is an error naming the file, line, row and column; an empty cell (or `nan`) is a gap in the
/// catalogue, recorded in ``CatalogueTarget/missing``, and the builder skips that target with the reason.
public struct CatalogueTargetList: Sendable {
    /// The file path (or `<builtin:…>`), for messages and provenance.
    public var source: String
    /// SHA-256 of the file's bytes (lowercase hex), for provenance.
    public var sha256: String
    /// The targets in file order.
    public var targets: [CatalogueTarget]
    /// For each prior parameter the list supplies, the header it was read from.
    public var parameterColumns: [String: String]

    /// Reads `url`, looking up a column for each name in `parameters` (the prior's theta and context names).
    ///
    /// A parameter that `columns` maps must have one of its columns; a parameter it does not map is read from a
    /// column of its own name when there is one, and otherwise left to the prior.
    ///
    /// - Throws: ``DatasetBuildError/invalidInput(file:location:reason:)`` naming the file and the header, or the
    ///   line, row and column of a bad cell.
    public init(csv url: URL, parameters: [String], columns: CatalogueColumnMap = .arielMCS, label: String? = nil) throws {
        let file = label ?? url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DatasetBuildError.invalidInput(file: file, location: "file", reason: error.localizedDescription)
        }
        let table: CSVTable
        do {
            // The MCS list mixes CRLF and LF line endings; CSVTable splits both.
            table = try CSVTable(text: String(decoding: data, as: UTF8.self), file: file)
        } catch let error as CSVError {
            throw DatasetBuildError.invalidInput(file: file, location: "CSV", reason: error.description)
        }
        func column(_ headers: [String]) -> Int? { headers.lazy.compactMap { table.header.firstIndex(of: $0) }.first }
        func required(_ headers: [String], what: String) throws -> Int {
            guard let index = column(headers) else {
                let names = headers.map { "'\($0)'" }.joined(separator: " or ")
                throw DatasetBuildError.invalidInput(file: file, location: "header", reason: "missing column \(names) (\(what))")
            }
            return index
        }
        let nameColumn = try required(columns.name, what: "planet name")
        var parameterColumn: [String: Int] = [:]
        for parameter in parameters {
            if let mapped = columns.parameters[parameter] {
                parameterColumn[parameter] = try required([parameter] + mapped, what: "catalogue value of \(parameter)")
            } else if let own = table.header.firstIndex(of: parameter) {
                parameterColumn[parameter] = own
            }
        }
        let optional = (
            temperature: column(columns.starTemperature), radius: column(columns.starRadius),
            distance: column(columns.starDistance), duration: column(columns.transitDurationHours),
            tier2: column(columns.tier2Transits))

        var targets: [CatalogueTarget] = []
        var seen: [String: Int] = [:]
        for (index, row) in table.rows.enumerated() {
            /// The cell as a number; nil for a gap (empty or `nan`); an error for anything else that is not one.
            func number(_ column: Int?) throws -> Double? {
                guard let column else { return nil }
                let text = row.fields[column]
                if text.isEmpty || text.lowercased() == "nan" { return nil }
                guard let value = Double(text), value.isFinite else {
                    throw DatasetBuildError.invalidInput(
                        file: file, location: "line \(row.line) (row \(index)), column '\(table.header[column])'",
                        reason: "'\(text)' is not a number")
                }
                return value
            }
            let name = row.fields[nameColumn]
            guard !name.isEmpty else {
                throw DatasetBuildError.invalidInput(
                    file: file, location: "line \(row.line) (row \(index)), column '\(table.header[nameColumn])'",
                    reason: "empty planet name")
            }
            if let first = seen[name] {
                throw DatasetBuildError.invalidInput(
                    file: file, location: "line \(row.line) (row \(index)), column '\(table.header[nameColumn])'",
                    reason: "planet '\(name)' already appears in row \(first)")
            }
            seen[name] = index
            var values: [String: Double] = [:]
            var missing: [String] = []
            for parameter in parameters {
                guard let column = parameterColumn[parameter] else { continue }
                if let value = try number(column) { values[parameter] = value } else { missing.append(parameter) }
            }
            let hours = try number(optional.duration)
            let tier2 = try number(optional.tier2)
            targets.append(CatalogueTarget(
                name: name, row: index, line: row.line, values: values, missing: missing,
                noiseTarget: NoiseTarget(
                    name: name, starTemperature: try number(optional.temperature), starRadius: try number(optional.radius),
                    starDistance: try number(optional.distance), transitDuration: hours.map { $0 * 3600 }),
                tier2Transits: tier2.flatMap { $0 >= 1 && $0 < Double(Int32.max) ? Int($0.rounded(.up)) : nil }))
        }
        guard !targets.isEmpty else {
            throw DatasetBuildError.invalidInput(file: file, location: "rows", reason: "the target list has no rows")
        }
        self.source = file
        self.sha256 = SHA256.hexDigest(of: data)
        self.targets = targets
        self.parameterColumns = parameterColumn.mapValues { table.header[$0] }
    }

    /// The bundled Ariel MCS known-planet list (722 planets, 2024-07-09; `Resources/targets/PROVENANCE.md`).
    public static func arielMCSKnown2024URL() throws -> URL {
        guard let url = Bundle.module.url(
            forResource: "ariel_mcs_known_2024-07-09", withExtension: "csv", subdirectory: "Resources/targets")
        else {
            throw DatasetBuildError.invalidInput(
                file: "<builtin:ariel_mcs_known_2024-07-09>", location: "bundle", reason: "resource missing")
        }
        return url
    }

    /// The label used for the bundled list in messages and provenance.
    public static let arielMCSKnown2024Label = "<builtin:ariel_mcs_known_2024-07-09.csv>"
}
