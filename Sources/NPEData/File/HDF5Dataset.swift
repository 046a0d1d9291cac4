/// A dataset of rows: the first dimension counts rows, the others (the row shape) are fixed.
///
/// A `[N, M]` matrix has rows of `M` elements; posterior samples `[T, S, D]` have rows of `S × D`
/// elements; a 1-D `[N]` dataset has rows of one element. All buffers are row-major (C order),
/// exactly as h5py/numpy see the data. Element types are checked on every read and write: a
/// `float64` dataset is never read as `Float`.
public final class HDF5Dataset: @unchecked Sendable {
    /// A filter in the dataset's pipeline, in application order (HDF5 id and `cd_values`).
    public struct Filter: Hashable, Sendable {
        /// HDF5 filter id: 2 = shuffle, 32004 = LZ4, 1 = deflate, …
        public let identifier: Int
        /// The filter's `cd_values`.
        public let clientData: [UInt32]
    }

    /// The file this dataset belongs to (kept alive by the dataset).
    public let file: HDF5File
    /// Absolute path inside the file, e.g. `/theta`.
    public let objectPath: String
    /// The stored element type.
    public let elementType: HDF5ElementType
    /// The shape of one row (all dimensions after the first).
    public let rowShape: [Int]
    /// Chunk dimensions, or nil for a contiguous dataset.
    public let chunkShape: [Int]?
    /// The filter pipeline, e.g. `[2 (shuffle), 32004 (LZ4)]`.
    public let filters: [Filter]
    let handle: HDF5Handle

    init(file: HDF5File, handle: HDF5Handle, objectPath: String) throws {
        self.file = file
        self.handle = handle
        self.objectPath = objectPath
        file.adopt(handle)
        elementType = try H5.elementType(ofDataset: handle)
        let shape = try H5.dimensions(of: H5.dataspace(of: handle))
        guard !shape.isEmpty else {
            throw HDF5Error.shapeMismatch(path: file.displayPath(objectPath), expected: "at least one dimension",
                                          actual: "a scalar")
        }
        rowShape = Array(shape.dropFirst())
        let layout = try H5.layout(of: handle)
        chunkShape = layout.chunk
        filters = layout.filters.map { Filter(identifier: $0.identifier, clientData: $0.clientData) }
    }

    var displayPath: String { file.displayPath(objectPath) }

    /// The dataset's own attributes.
    public var attributes: HDF5Attributes { HDF5Attributes(owner: handle, ownerPath: displayPath) }

    /// Elements per row (the product of ``rowShape``; 1 for a 1-D dataset).
    public var rowElementCount: Int { rowShape.reduce(1, *) }

    /// The current full shape, `[rowCount] + rowShape`.
    public func shape() throws -> [Int] { try H5.dimensions(of: H5.dataspace(of: handle)) }

    /// The current number of rows.
    public func rowCount() throws -> Int { try shape()[0] }

    /// Rows per chunk, or nil for a contiguous dataset.
    public var chunkRowCount: Int? { chunkShape?.first }

    /// Number of row chunks: `ceil(rowCount / chunkRowCount)` (1 for a non-empty contiguous dataset).
    public func chunkCount() throws -> Int {
        let rows = try rowCount()
        let perChunk = chunkRowCount ?? max(rows, 1)
        return (rows + perChunk - 1) / perChunk
    }

    /// The rows stored in chunk `index`; the last chunk may be short.
    public func rowRange(ofChunk index: Int) throws -> Range<Int> {
        let rows = try rowCount()
        let perChunk = chunkRowCount ?? max(rows, 1)
        let count = (rows + perChunk - 1) / perChunk
        guard index >= 0, index < count else {
            throw HDF5Error.rowRangeOutOfBounds(path: displayPath, requested: index * perChunk..<(index + 1) * perChunk,
                                                rowCount: rows)
        }
        return index * perChunk..<min((index + 1) * perChunk, rows)
    }

    // MARK: Reading

    /// Reads `rows` into `buffer`, which must hold exactly `rows.count * rowElementCount` elements.
    public func readRows<T: HDF5Element>(_ rows: Range<Int>, into buffer: UnsafeMutableBufferPointer<T>) throws {
        try requireElement(T.self)
        let total = try rowCount()
        guard rows.lowerBound >= 0, rows.upperBound <= total else {
            throw HDF5Error.rowRangeOutOfBounds(path: displayPath, requested: rows, rowCount: total)
        }
        try requireCount(buffer.count, rows: rows.count)
        guard let base = buffer.baseAddress, !rows.isEmpty else { return }
        try H5.transferRows(of: handle, element: T.hdf5ElementType, firstRow: rows.lowerBound, rowCount: rows.count,
                            rowShape: rowShape, buffer: UnsafeMutableRawPointer(base), write: false)
    }

    /// Reads `rows` as a flat row-major array.
    public func readRows<T: HDF5Element>(_ rows: Range<Int>, as type: T.Type = T.self) throws -> [T] {
        var values = [T](repeating: T.hdf5Zero, count: max(rows.count, 0) * rowElementCount)
        try values.withUnsafeMutableBufferPointer { try readRows(rows, into: $0) }
        return values
    }

    /// Reads every row.
    public func readAll<T: HDF5Element>(as type: T.Type = T.self) throws -> [T] {
        try readRows(0..<rowCount(), as: T.self)
    }

    /// Reads the rows of chunk `index` (see ``rowRange(ofChunk:)``): one chunk decompressed, no more.
    public func readChunk<T: HDF5Element>(_ index: Int, as type: T.Type = T.self) throws -> [T] {
        try readRows(rowRange(ofChunk: index), as: T.self)
    }

    /// Reads a 1-D string dataset (variable- or fixed-length strings).
    public func readStrings() throws -> [String] {
        guard elementType == .string, rowShape.isEmpty else {
            throw HDF5Error.elementTypeMismatch(path: displayPath, stored: elementType, requested: .string)
        }
        return try H5.readStrings(of: handle)
    }

    // MARK: Writing

    /// Overwrites rows starting at `row`; the rows must already exist (grow it with `appendRows` or ``resize(rowCount:)``).
    public func writeRows<T: HDF5Element>(_ values: UnsafeBufferPointer<T>, startingAt row: Int) throws {
        try requireElement(T.self)
        try requireWritable()
        let count = try rowsIn(values.count)
        let total = try rowCount()
        guard row >= 0, row + count <= total else {
            throw HDF5Error.rowRangeOutOfBounds(path: displayPath, requested: row..<row + count, rowCount: total)
        }
        guard let base = values.baseAddress, count > 0 else { return }
        try H5.transferRows(of: handle, element: T.hdf5ElementType, firstRow: row, rowCount: count,
                            rowShape: rowShape, buffer: UnsafeMutableRawPointer(mutating: base), write: true)
    }

    /// Array form of ``writeRows(_:startingAt:)-(UnsafeBufferPointer<T>,_)``: `values` is whole rows, row-major.
    public func writeRows<T: HDF5Element>(_ values: [T], startingAt row: Int) throws {
        try values.withUnsafeBufferPointer { try writeRows($0, startingAt: row) }
    }

    /// Appends whole rows at the end (the dataset must be extendable); returns the new rows' range.
    @discardableResult
    public func appendRows<T: HDF5Element>(_ values: UnsafeBufferPointer<T>) throws -> Range<Int> {
        try requireElement(T.self)
        let count = try rowsIn(values.count)
        let start = try rowCount()
        guard count > 0 else { return start..<start }
        try resize(rowCount: start + count)
        try writeRows(values, startingAt: start)
        return start..<start + count
    }

    /// Array form of ``appendRows(_:)-(UnsafeBufferPointer<T>)``.
    @discardableResult
    public func appendRows<T: HDF5Element>(_ values: [T]) throws -> Range<Int> {
        try values.withUnsafeBufferPointer { try appendRows($0) }
    }

    /// Grows or shrinks the dataset to `rowCount` rows (extendable datasets only beyond their creation size).
    public func resize(rowCount: Int) throws {
        try requireWritable()
        guard rowCount >= 0 else {
            throw HDF5Error.invalidArgument(path: displayPath, reason: "negative row count \(rowCount)")
        }
        try H5.setExtent(of: handle, to: [rowCount] + rowShape)
    }

    // MARK: Checks

    private func requireElement<T: HDF5Element>(_ type: T.Type) throws {
        guard elementType == T.hdf5ElementType else {
            throw HDF5Error.elementTypeMismatch(path: displayPath, stored: elementType, requested: T.hdf5ElementType)
        }
    }

    private func requireWritable() throws {
        guard file.isWritable else { throw HDF5Error.invalidArgument(path: displayPath, reason: "file is open read-only") }
    }

    private func requireCount(_ count: Int, rows: Int) throws {
        guard count == rows * rowElementCount else {
            throw HDF5Error.shapeMismatch(path: displayPath, expected: "\(rows) rows × \(rowElementCount) = "
                                          + "\(rows * rowElementCount) elements", actual: "\(count) elements")
        }
    }

    /// Whole rows in a flat buffer of `count` elements.
    private func rowsIn(_ count: Int) throws -> Int {
        let perRow = rowElementCount
        guard perRow > 0, count % perRow == 0 else {
            throw HDF5Error.shapeMismatch(path: displayPath, expected: "a multiple of \(perRow) elements (row shape \(rowShape))",
                                          actual: "\(count) elements")
        }
        return count / perRow
    }
}
