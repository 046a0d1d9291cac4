import Foundation
import NPECSV

/// Per-target, per-bin 1σ noise for one transit, keyed by planet name (for example the bundled ArielRad-like
/// figures of the 722 MCS known planets), with a floor and co-adding as in ``ArielPhotonNoise``:
/// σ_N = √(σ₁²/N + f²).
public struct PerTargetNoiseTable: Sendable, Codable, Equatable {
    /// Planet names, unique, in file order.
    public var names: [String]
    /// One-transit σ₁ per target and bin, `[target][bin]`, transit-depth fractions, ascending wavelength.
    public var sigma: [[Double]]
    /// f, floor in transit-depth fraction, added in quadrature after co-adding.
    public var floor: Double
    /// N when a target does not say.
    public var defaultTransits: Int
    /// Where the table came from (file path or `<builtin:...>`), for provenance.
    public var source: String

    /// Units of the values in a file or matrix.
    public enum Unit: String, Sendable, Codable {
        /// Parts per million of transit depth (the shared MCS tables).
        case ppm
        /// Transit-depth fraction.
        case fraction

        var scale: Double { self == .ppm ? 1e-6 : 1 }
    }

    /// Builds a table from a matrix.
    ///
    /// - Throws: ``NoiseError`` for a ragged or empty matrix, a duplicate name, or a negative or non-finite sigma.
    public init(
        names: [String], sigma: [[Double]], unit: Unit, floor: Double = 0, defaultTransits: Int = 1,
        source: String = "<matrix>"
    ) throws {
        guard !names.isEmpty, names.count == sigma.count, let binCount = sigma.first?.count, binCount > 0,
              sigma.allSatisfy({ $0.count == binCount })
        else {
            throw NoiseError.wrongShape(file: source, reason: "need one non-empty row of equal length per name")
        }
        var firstRow: [String: Int] = [:]
        for (row, name) in names.enumerated() {
            if let first = firstRow[name] {
                throw NoiseError.duplicateKey(file: source, line: row + 1, key: name, firstLine: first + 1)
            }
            firstRow[name] = row
            if let bin = sigma[row].firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
                throw NoiseError.invalidValue(file: source, line: row + 1, column: "bin \(bin)",
                                              text: String(sigma[row][bin]))
            }
        }
        guard floor >= 0, floor.isFinite else {
            throw NoiseError.invalidParameter(name: "floor", value: floor, reason: "must be finite and ≥ 0")
        }
        guard defaultTransits >= 1 else {
            throw NoiseError.invalidParameter(
                name: "defaultTransits", value: Double(defaultTransits), reason: "must be ≥ 1")
        }
        self.names = names
        self.sigma = sigma.map { $0.map { $0 * unit.scale } }
        self.floor = floor
        self.defaultTransits = defaultTransits
        self.source = source
    }

    /// Reads a CSV keyed by planet name.
    ///
    /// The header must have a `planet_name` column. The sigma columns are those named `bNN_…` (as in the shared
    /// `ariel_mcs_known_noise_1transit.csv`, ascending wavelength) when there are any, otherwise every other
    /// column. Other columns are ignored. `#` lines are comments.
    ///
    /// - Throws: ``NoiseError`` naming the file, line and column of a bad value, or a wrong bin count when
    ///   `binCount` is given.
    public init(
        csv url: URL, unit: Unit = .ppm, binCount: Int? = nil, floor: Double = 0, defaultTransits: Int = 1
    ) throws {
        let table = try CSVTable(contentsOf: url)
        let key = try table.columnIndex("planet_name")
        var columns = table.header.indices.filter { Self.isBinColumn(table.header[$0]) }
        if columns.isEmpty { columns = table.header.indices.filter { $0 != key } }
        if let binCount, columns.count != binCount {
            throw NoiseError.wrongShape(file: url.path, reason: "expected \(binCount) sigma columns, found \(columns.count)")
        }
        var seen: [String: Int] = [:]
        for row in table.rows {
            let name = row.fields[key]
            if let first = seen[name] {
                throw NoiseError.duplicateKey(file: url.path, line: row.line, key: name, firstLine: first)
            }
            seen[name] = row.line
        }
        let values = try table.rows.map { row in try columns.map { try table.number(row, $0, nonNegative: true) } }
        try self.init(
            names: table.rows.map { $0.fields[key] }, sigma: values, unit: unit, floor: floor,
            defaultTransits: defaultTransits, source: url.path)
    }

    /// The bundled one-transit figures of the 722 Ariel MCS known planets (2024-07-09 list), in ppm on the
    /// 52 ADC2023 bins (`Resources/noise/ariel_mcs_known_noise_1transit.csv`).
    public static func arielMCSKnown2024(floor: Double = 0, defaultTransits: Int = 1) throws -> PerTargetNoiseTable {
        var table = try PerTargetNoiseTable(
            csv: try NoiseResources.url("ariel_mcs_known_noise_1transit", "csv"), unit: .ppm, binCount: 52,
            floor: floor, defaultTransits: defaultTransits)
        table.source = "<builtin:ariel_mcs_known_noise_1transit>"
        return table
    }

    /// σ_N for a target looked up by `target.name`.
    public func sigma(for target: NoiseTarget) throws -> [Double] {
        guard let name = target.name else { throw NoiseError.missingTargetProperty("name") }
        guard let row = names.firstIndex(of: name) else { throw NoiseError.unknownTarget(name) }
        let transits = target.transits ?? defaultTransits
        guard transits >= 1 else {
            throw NoiseError.invalidTargetProperty(name: "transits", value: Double(transits), reason: "must be ≥ 1")
        }
        return sigma[row].map { ($0 * $0 / Double(transits) + floor * floor).squareRoot() }
    }

    /// `b` then digits then `_`, e.g. `b07_1.7085um`.
    private static func isBinColumn(_ name: String) -> Bool {
        guard name.first == "b", let underscore = name.firstIndex(of: "_") else { return false }
        let digits = name[name.index(after: name.startIndex)..<underscore]
        return !digits.isEmpty && digits.allSatisfy(\.isNumber)
    }
}
