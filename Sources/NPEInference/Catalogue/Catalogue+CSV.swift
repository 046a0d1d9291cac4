import Foundation
import NPECSV

extension Catalogue {
    /// Reads a CSV catalogue, one target per row. Columns: `id` (optional), `x_0 … x_{M−1}` (required, in the model's
    /// bin order), `sigma_0 … sigma_{M−1}` (optional), one column per context input named as in the model (given in
    /// `contextNames`), and `true_<name>` columns for known truths. A CSV carries no wavelength grid, so only the bin
    /// count can be checked against the model.
    ///
    /// Bins are numbered from 0, as everywhere in ExoNPE (`npe-build-dataset import` and `simulate` write and read
    /// `x_0…`; dataset column k is bin k). A header whose x (or sigma) columns do not form exactly that sequence
    /// (1-based, with a gap, or with a stray `x_…` name) is an error that lists the columns found, never a silent
    /// drop of a bin.
    ///
    /// An empty or `nan` spectrum or σ cell is NaN: a bin that was not observed (see ``TargetScreening``). A problem
    /// confined to one target does not stop the run: spectrum or σ text that is not a number becomes +∞ and a
    /// non-numeric context cell NaN, both of which flag that target `invalid_input` (``TargetHealth``), and the
    /// others go on; an unreadable truth cell is NaN (unknown truth).
    public init(csv url: URL, contextNames: [String]) throws {
        let table = try CSVTable(contentsOf: url)
        let source = url.path
        let xColumns = try Self.binColumns("x", in: table.header, file: source, required: true)
        let sigmaColumns = try Self.binColumns("sigma", in: table.header, file: source, required: false)
        guard sigmaColumns.isEmpty || sigmaColumns.count == xColumns.count else {
            throw CatalogueError.shape(file: source, dataset: "sigma", reason: "\(sigmaColumns.count) sigma columns, \(xColumns.count) x columns")
        }
        let contextColumns = try contextNames.map { try table.columnIndex($0) }
        let truthColumns = table.header.enumerated().filter { $0.element.hasPrefix("true_") }
        let idColumn = table.header.firstIndex(of: "id")
        // A bin cell: empty or `nan` is a missing bin; other text is invalid (+∞ flags the target, never a gap).
        func bin(_ row: (line: Int, fields: [String]), _ column: Int) -> Double {
            let text = row.fields[column].trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.lowercased() == "nan" { return .nan }
            return Double(text) ?? .infinity
        }
        func lenient(_ row: (line: Int, fields: [String]), _ column: Int) -> Double { Double(row.fields[column]) ?? .nan }
        try self.init(
            source: source,
            ids: table.rows.enumerated().map { k, row in idColumn.map { row.fields[$0] } ?? "target_\(k)" },
            wavelengths: nil,
            x: table.rows.flatMap { row in xColumns.map { bin(row, $0) } },
            sigma: sigmaColumns.isEmpty ? nil : table.rows.flatMap { row in sigmaColumns.map { bin(row, $0) } },
            contextNames: contextNames,
            context: contextNames.isEmpty ? nil : table.rows.flatMap { row in contextColumns.map { lenient(row, $0) } },
            thetaNames: truthColumns.map { String($0.element.dropFirst(5)) },
            thetaTrue: truthColumns.isEmpty ? nil : table.rows.flatMap { row in truthColumns.map { lenient(row, $0.offset) } })
    }

    /// The header indices of `PREFIX_0 … PREFIX_{M−1}`, in bin order.
    ///
    /// - Throws: ``CatalogueError/missing(file:dataset:)`` when `required` and there is none, and
    ///   ``CatalogueError/columns(file:prefix:found:reason:)`` when the `PREFIX_<n>` names are not exactly 0…M−1.
    static func binColumns(_ prefix: String, in header: [String], file: String, required: Bool) throws -> [Int] {
        let marker = prefix + "_"
        let named = header.enumerated().filter { $0.element.hasPrefix(marker) }
        guard !named.isEmpty else {
            if required { throw CatalogueError.missing(file: file, dataset: "\(prefix)_0 … \(prefix)_{M-1} columns") }
            return []
        }
        let found = named.map(\.element)
        var byBin: [Int: Int] = [:]
        for (index, name) in named {
            let digits = name.dropFirst(marker.count)
            // Canonical decimal only (no sign, no leading zero), so `x_01` cannot pose as bin 1.
            guard let bin = Int(digits), String(bin) == digits, bin >= 0 else {
                throw CatalogueError.columns(file: file, prefix: prefix, found: found,
                                             reason: "'\(name)' is not \(marker)<bin number>")
            }
            byBin[bin] = index
        }
        let m = named.count
        guard (0..<m).allSatisfy({ byBin[$0] != nil }) else {
            let missing = (0..<m).filter { byBin[$0] == nil }.prefix(3).map { "\(marker)\($0)" }
            let oneBased = byBin[0] == nil && (1...m).allSatisfy { byBin[$0] != nil }
            throw CatalogueError.columns(
                file: file, prefix: prefix, found: found,
                reason: oneBased ? "bins are numbered from 0: rename \(marker)1 … \(marker)\(m) to \(marker)0 … \(marker)\(m - 1)"
                    : "expected \(marker)0 … \(marker)\(m - 1) without gaps; missing \(missing.joined(separator: ", "))")
        }
        return (0..<m).map { byBin[$0]! }
    }
}
