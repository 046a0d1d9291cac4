import Foundation

/// Opens and validates an ExoNPE training dataset, and reads it a chunk at a time.
///
/// Opening checks the whole structure before any row is read: `format_version`, the required
/// attributes, the presence, element type (`float32`, `uint8` for flags, `float64` for the grid)
/// and shape of every dataset, and that all row datasets have `row_count` rows. Each failure is a
/// ``TrainingDatasetError`` naming the file and dataset or attribute.
///
/// Streaming: the rows are split into ``chunkCount`` chunks of ``chunkRowCount`` rows (the file's
/// own chunking, so a chunk read decompresses each stored chunk once). A trainer shuffles chunk
/// indices each epoch, reads chunks with ``readChunk(_:)`` and shuffles rows within a buffer of a
/// few chunks: memory stays bounded whatever the dataset size.
public final class TrainingDatasetReader: @unchecked Sendable {
    /// The file being read.
    public let url: URL
    /// The validated metadata, including the wavelength grid.
    public let metadata: TrainingDatasetMetadata
    /// `N`.
    public let rowCount: Int
    /// The recorded `content_sha256` (lowercase hex).
    public let contentDigest: String
    /// Whether the file has a per-row `flags` dataset.
    public let hasFlags: Bool
    /// Rows per streaming chunk (the chunking of `x`).
    public let chunkRowCount: Int

    private let file: HDF5File
    private let theta: HDF5Dataset
    private let x: HDF5Dataset
    private let context: HDF5Dataset?
    private let flags: HDF5Dataset?

    /// `D`, columns of `theta`.
    public var parameterCount: Int { metadata.parameterCount }
    /// `M`, columns of `x`.
    public var featureCount: Int { metadata.featureCount }
    /// `A`, columns of `context` (0 when absent).
    public var contextCount: Int { metadata.contextCount }

    /// Number of chunks, `ceil(rowCount / chunkRowCount)`.
    public var chunkCount: Int { (rowCount + chunkRowCount - 1) / chunkRowCount }

    /// Opens `url` read-only and validates its structure (see the type's documentation).
    public init(contentsOf url: URL) throws {
        self.url = url.standardizedFileURL
        let path = self.url.path
        file = try storage { try HDF5File.open(at: url) }
        let contents = try TrainingDatasetValidation(file: file, path: path)
        metadata = try contents.metadata()
        rowCount = try contents.recordedRowCount()
        contentDigest = try contents.string(.contentDigest)
        typealias Name = TrainingDatasetFormat.Dataset
        theta = try contents.rowDataset(.theta, columns: metadata.parameterCount, rows: rowCount)
        x = try contents.rowDataset(.x, columns: metadata.featureCount, rows: rowCount)
        context = metadata.contextCount == 0 ? try contents.requireNoContext()
            : try contents.rowDataset(.context, columns: metadata.contextCount, rows: rowCount)
        flags = try contents.optionalFlags(rows: rowCount)
        hasFlags = flags != nil
        chunkRowCount = x.chunkRowCount
            ?? max(1, HDF5DatasetOptions.targetChunkByteCount / (4 * metadata.featureCount))
    }

    /// The rows of chunk `index` (the last chunk may be short).
    public func rowRange(ofChunk index: Int) throws -> Range<Int> {
        guard index >= 0, index < chunkCount else {
            throw TrainingDatasetError.outOfRange(file: url.path, requested: "chunk \(index) of \(chunkCount)",
                                                  rowCount: rowCount)
        }
        return index * chunkRowCount..<min((index + 1) * chunkRowCount, rowCount)
    }

    /// Reads chunk `index`: its theta, x, context and flags rows.
    public func readChunk(_ index: Int) throws -> TrainingRows {
        try readRows(rowRange(ofChunk: index))
    }

    /// Reads any consecutive rows.
    public func readRows(_ rows: Range<Int>) throws -> TrainingRows {
        guard rows.lowerBound >= 0, rows.upperBound <= rowCount else {
            throw TrainingDatasetError.outOfRange(file: url.path, requested: "rows \(rows)", rowCount: rowCount)
        }
        return try storage {
            TrainingRows(rows: rows, theta: try theta.readRows(rows, as: Float.self),
                         x: try x.readRows(rows, as: Float.self),
                         context: try context?.readRows(rows, as: Float.self),
                         flags: try flags?.readRows(rows, as: UInt8.self))
        }
    }

    /// Re-hashes every row, one chunk at a time, and compares with ``contentDigest``.
    public func verifyContentDigest() throws {
        var digest = ContentDigest()
        for index in 0..<chunkCount {
            let rows = try readChunk(index)
            digest.addRows(theta: rows.theta[...], x: rows.x[...], context: rows.context?[...], flags: rows.flags?[...],
                           parameterCount: parameterCount, featureCount: featureCount, contextCount: contextCount)
        }
        let computed = digest.hexDigest()
        guard computed == contentDigest else {
            throw TrainingDatasetError.digestMismatch(file: url.path, recorded: contentDigest, computed: computed)
        }
    }

    /// Closes the file; later reads throw.
    public func close() throws {
        try storage { try file.close() }
    }
}
