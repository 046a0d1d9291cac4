import Foundation

/// A catalogue of observed targets to infer: T spectra on one wavelength grid, optionally with per-bin noise,
/// auxiliary context inputs, identifiers and (for mock catalogues) the true parameters.
///
/// All matrices are row-major with one row per target. Whole-file problems (missing `x`, shapes that disagree,
/// duplicate ids) are errors when reading; a problem with one target (NaN, σ ≤ 0) is not: that target is flagged
/// by ``TargetHealth`` and the others go on.
public struct Catalogue: Sendable, Equatable {
    /// Where it was read from, for messages.
    public var source: String
    /// T identifiers (`target_<i>` when the file has none).
    public var ids: [String]
    /// Bin centres [µm] (length M), when the file declares them (always for HDF5, never for CSV).
    public var wavelengths: [Double]?
    /// `[T, M]` spectra (transit depth).
    public var x: [Double]
    /// `[T, M]` 1σ per bin.
    public var sigma: [Double]?
    /// Names of the A context inputs.
    public var contextNames: [String]
    /// `[T, A]`.
    public var context: [Double]?
    /// Names of the D true parameters.
    public var thetaNames: [String]
    /// `[T, D]` truths, for mock catalogues.
    public var thetaTrue: [Double]?

    public var targetCount: Int { ids.count }
    public var binCount: Int { ids.isEmpty ? 0 : x.count / ids.count }

    public init(source: String, ids: [String], wavelengths: [Double]?, x: [Double], sigma: [Double]?,
                contextNames: [String], context: [Double]?, thetaNames: [String], thetaTrue: [Double]?) throws {
        self.source = source
        self.ids = ids
        self.wavelengths = wavelengths
        self.x = x
        self.sigma = sigma
        self.contextNames = contextNames
        self.context = context
        self.thetaNames = thetaNames
        self.thetaTrue = thetaTrue
        try validate()
    }

    /// Checks that every part has one row per target and the declared widths.
    func validate() throws {
        let t = ids.count
        guard t > 0 else { throw CatalogueError.empty(file: source) }
        guard x.count % t == 0, x.count > 0 else { throw CatalogueError.shape(file: source, dataset: "x", reason: "\(x.count) values for \(t) targets") }
        let m = x.count / t
        if let wavelengths, wavelengths.count != m {
            throw CatalogueError.shape(file: source, dataset: "wavelength", reason: "\(wavelengths.count) bins, x has \(m)")
        }
        if let sigma, sigma.count != x.count {
            throw CatalogueError.shape(file: source, dataset: "sigma", reason: "\(sigma.count / max(t, 1)) bins per target, x has \(m)")
        }
        if let context, context.count != t * contextNames.count {
            throw CatalogueError.shape(file: source, dataset: "context", reason: "\(context.count) values for \(t) targets × \(contextNames.count) inputs")
        }
        if let thetaTrue, thetaTrue.count != t * thetaNames.count {
            throw CatalogueError.shape(file: source, dataset: "theta_true", reason: "\(thetaTrue.count) values for \(t) targets × \(thetaNames.count) parameters")
        }
        var seen: [String: Int] = [:]
        for (row, id) in ids.enumerated() {
            if let first = seen[id] { throw CatalogueError.duplicateID(file: source, id: id, firstRow: first, row: row) }
            seen[id] = row
        }
    }

    /// Row `target` of a row-major matrix with `width` columns.
    public static func row(_ values: [Double], _ target: Int, width: Int) -> ArraySlice<Double> {
        values[(target * width)..<((target + 1) * width)]
    }
}

/// A catalogue that cannot be used at all. Each case names the file and the dataset or column.
public enum CatalogueError: Error, Equatable, CustomStringConvertible {
    case empty(file: String)
    case missing(file: String, dataset: String)
    case shape(file: String, dataset: String, reason: String)
    case unsupportedType(file: String, dataset: String, type: String)
    case duplicateID(file: String, id: String, firstRow: Int, row: Int)
    case invalidNames(file: String, attribute: String, reason: String)
    case incompatible(file: String, reason: String)
    /// The numbered columns `PREFIX_<bin>` of a CSV catalogue are not `PREFIX_0 … PREFIX_{M−1}`; `found` lists them.
    case columns(file: String, prefix: String, found: [String], reason: String)

    public var description: String {
        switch self {
        case let .empty(file): return "\(file): the catalogue has no targets"
        case let .missing(file, dataset): return "\(file): required '\(dataset)' is missing"
        case let .shape(file, dataset, reason): return "\(file): '\(dataset)': \(reason)"
        case let .unsupportedType(file, dataset, type): return "\(file): '\(dataset)' has type \(type); expected float32 or float64"
        case let .duplicateID(file, id, firstRow, row): return "\(file): id '\(id)' appears in rows \(firstRow) and \(row)"
        case let .invalidNames(file, attribute, reason): return "\(file): attribute '\(attribute)': \(reason)"
        case let .incompatible(file, reason): return "\(file): does not fit the model: \(reason)"
        case let .columns(file, prefix, found, reason):
            let shown = found.count > 6 ? found.prefix(3).joined(separator: ", ") + ", …, " + found.suffix(2).joined(separator: ", ") : found.joined(separator: ", ")
            return "\(file): header: \(prefix) columns \(shown) (\(found.count) found): \(reason)"
        }
    }
}
