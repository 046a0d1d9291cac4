import Foundation

/// Writes an ExoNPE training dataset (`theta`, `x`, optional `context` and `flags`) atomically.
///
/// Rows are appended in batches in row order and buffered into whole chunks, so each chunk is
/// compressed exactly once whatever the batch size. Nothing appears at `url` until ``commit()``,
/// which writes `row_count` and `content_sha256` and publishes the file (temporary name, fsync,
/// rename). A writer released without `commit()` leaves nothing behind.
///
/// ```swift
/// let writer = try TrainingDatasetWriter(creatingAt: url, metadata: metadata)
/// try writer.append(theta: thetaBatch, x: spectra, context: contextBatch)   // [k·D], [k·M], [k·A]
/// let digest = try writer.commit()
/// ```
public final class TrainingDatasetWriter {
    /// The final location, where the file appears on ``commit()``.
    public let url: URL
    /// The metadata written to the file's attributes.
    public let metadata: TrainingDatasetMetadata
    /// Whether the file has a per-row `flags` dataset (then every `append` passes flags).
    public let storesFlags: Bool
    /// Rows per chunk, shared by every row dataset, so chunk k covers the same rows everywhere.
    public let chunkRowCount: Int
    /// Rows accepted so far.
    public private(set) var rowCount = 0

    private let file: HDF5File
    private let theta: HDF5Dataset
    private let x: HDF5Dataset
    private let context: HDF5Dataset?
    private let flags: HDF5Dataset?
    private var pending = TrainingRows(rows: 0..<0, theta: [], x: [], context: nil, flags: nil)
    private var digest = ContentDigest()
    private var filePath: String { url.path }

    /// Starts a dataset at `url`.
    /// - Parameters:
    ///   - chunkRows: rows per chunk; nil picks about 1 MiB of `x` per chunk (`2^20 / (4·M)` rows).
    ///   - replacingExisting: when false an existing file at `url` is an error.
    public init(creatingAt url: URL, metadata: TrainingDatasetMetadata, storesFlags: Bool = false,
                chunkRows: Int? = nil, replacingExisting: Bool = false) throws {
        self.url = url.standardizedFileURL
        self.metadata = metadata
        self.storesFlags = storesFlags
        try metadata.validate(file: url.path)
        let rows = chunkRows ?? max(1, HDF5DatasetOptions.targetChunkByteCount / (4 * metadata.featureCount))
        guard rows > 0 else {
            throw TrainingDatasetError.invalidMetadata(file: url.path, attribute: "chunk rows", reason: "must be positive")
        }
        chunkRowCount = rows
        let options = HDF5DatasetOptions(extendable: true, compression: .shuffleLZ4, chunkRows: rows)
        typealias Name = TrainingDatasetFormat.Dataset
        (file, theta, x, context, flags) = try storage {
            let file = try HDF5File.create(at: url, replacingExisting: replacingExisting)
            let root = try file.root()
            let theta = try root.createDataset(Name.theta.rawValue, of: Float.self,
                                               shape: [0, metadata.parameterCount], options: options)
            let x = try root.createDataset(Name.x.rawValue, of: Float.self, shape: [0, metadata.featureCount],
                                           options: options)
            let context = metadata.contextCount == 0 ? nil : try root.createDataset(
                Name.context.rawValue, of: Float.self, shape: [0, metadata.contextCount], options: options)
            let flags = storesFlags ? try root.createDataset(Name.flags.rawValue, of: UInt8.self, shape: [0],
                                                             options: options) : nil
            let wavelength = try root.createDataset(Name.wavelength.rawValue, values: metadata.wavelength)
            try wavelength.attributes.set("unit", to: .string("um"))
            let binWidth = try root.createDataset(Name.binWidth.rawValue, values: metadata.binWidth)
            try binWidth.attributes.set("unit", to: .string("um"))
            try Self.writeAttributes(of: metadata, to: root.attributes)
            return (file, theta, x, context, flags)
        }
        pending.context = context == nil ? nil : []
        pending.flags = storesFlags ? [] : nil
    }

    private static func writeAttributes(of metadata: TrainingDatasetMetadata, to attributes: HDF5Attributes) throws {
        typealias Key = TrainingDatasetFormat.Attribute
        let values: [(Key, HDF5AttributeValue)] = [
            (.format, .string(TrainingDatasetFormat.formatName)),
            (.formatVersion, .int64(TrainingDatasetFormat.version)),
            (.parameterNames, .string(TrainingDatasetFormat.encodeJSON(metadata.parameterNames))),
            (.parameterUnits, .string(TrainingDatasetFormat.encodeJSON(metadata.parameterUnits))),
            (.prior, .string(metadata.priorJSON)),
            (.contextNames, .string(TrainingDatasetFormat.encodeJSON(metadata.contextNames))),
            (.simulatorName, .string(metadata.simulatorName)),
            (.simulatorVersion, .string(metadata.simulatorVersion)),
            (.simulatorConfiguration, .string(metadata.simulatorConfigurationJSON)),
            (.noiseModel, .string(metadata.noiseModelJSON)),
            (.seed, .uint64(metadata.seed)),
            (.createdAt, .string(TrainingDatasetFormat.formatDate(metadata.createdAt))),
        ]
        for (key, value) in values { try attributes.set(key.rawValue, to: value) }
    }

    /// Appends `k` rows: `theta` holds k·D values, `x` k·M, `context` k·A (required iff the metadata
    /// names context inputs), `flags` k bytes (required iff ``storesFlags``). Row-major.
    ///
    /// `theta` and `context` must be finite. `x` must be finite except in rows flagged
    /// ``TrainingDatasetFormat/RowFlags/nonFiniteSimulation``: a failed simulation is never stored silently.
    public func append(theta: [Float], x: [Float], context: [Float]? = nil, flags: [UInt8]? = nil) throws {
        typealias Name = TrainingDatasetFormat.Dataset
        let k = theta.count / max(metadata.parameterCount, 1)
        try requireCount(theta.count, k * metadata.parameterCount, .theta)
        try requireCount(x.count, k * metadata.featureCount, .x)
        // Absent and empty are the same for optional datasets; a dataset the file lacks must get no values.
        try requireCount(context?.count ?? 0, k * metadata.contextCount, .context)
        try requireCount(flags?.count ?? 0, storesFlags ? k : 0, .flags)
        try requireFinite(theta, columns: metadata.parameterCount, .theta) { _ in true }
        try requireFinite(context ?? [], columns: max(metadata.contextCount, 1), .context) { _ in true }
        let failed = TrainingDatasetFormat.RowFlags.nonFiniteSimulation.rawValue
        try requireFinite(x, columns: metadata.featureCount, .x) { row in (flags?[row] ?? 0) & failed == 0 }

        digest.addRows(theta: theta[...], x: x[...], context: context?[...], flags: flags?[...],
                       parameterCount: metadata.parameterCount, featureCount: metadata.featureCount,
                       contextCount: metadata.contextCount)
        pending.theta += theta
        pending.x += x
        if let context { pending.context! += context }
        if let flags { pending.flags! += flags }
        rowCount += k
        let whole = (pending.theta.count / metadata.parameterCount) / chunkRowCount * chunkRowCount
        if whole > 0 { try flush(rows: whole) }
    }

    /// Writes the buffered rows, the final attributes, and publishes the file at ``url``.
    /// Returns the content digest (lowercase hex SHA-256).
    @discardableResult
    public func commit() throws -> String {
        try flush(rows: pending.theta.count / metadata.parameterCount)
        let hex = digest.hexDigest()
        try storage {
            let attributes = try file.root().attributes
            try attributes.set(TrainingDatasetFormat.Attribute.rowCount.rawValue, to: .int64(Int64(rowCount)))
            try attributes.set(TrainingDatasetFormat.Attribute.contentDigest.rawValue, to: .string(hex))
            try file.commit()
        }
        return hex
    }

    /// Discards everything written; nothing appears at ``url``.
    public func abandon() throws {
        try storage { try file.close() }
    }

    private func flush(rows: Int) throws {
        guard rows > 0 else { return }
        try storage {
            try theta.appendRows(Array(pending.theta.prefix(rows * metadata.parameterCount)))
            pending.theta.removeFirst(rows * metadata.parameterCount)
            try x.appendRows(Array(pending.x.prefix(rows * metadata.featureCount)))
            pending.x.removeFirst(rows * metadata.featureCount)
            if let context {
                try context.appendRows(Array(pending.context!.prefix(rows * metadata.contextCount)))
                pending.context!.removeFirst(rows * metadata.contextCount)
            }
            if let flags {
                try flags.appendRows(Array(pending.flags!.prefix(rows)))
                pending.flags!.removeFirst(rows)
            }
        }
    }

    private func requireCount(_ found: Int, _ expected: Int, _ dataset: TrainingDatasetFormat.Dataset) throws {
        guard found == expected else {
            throw TrainingDatasetError.wrongBatchSize(file: filePath, dataset: dataset.rawValue, expected: expected,
                                                      found: found)
        }
    }

    /// Checks finiteness; `mustBeFinite(row)` says whether a row (batch-relative) is checked.
    /// Errors report the absolute row index in the dataset.
    private func requireFinite(_ values: [Float], columns: Int, _ dataset: TrainingDatasetFormat.Dataset,
                               mustBeFinite: (Int) -> Bool) throws {
        guard let index = values.firstIndex(where: { !$0.isFinite }) else { return }
        for position in index..<values.count where !values[position].isFinite && mustBeFinite(position / columns) {
            throw TrainingDatasetError.nonFiniteValue(file: filePath, dataset: dataset.rawValue,
                                                      row: rowCount + position / columns, column: position % columns)
        }
    }
}
