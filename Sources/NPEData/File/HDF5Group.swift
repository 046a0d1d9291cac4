/// Options for a new dataset.
public struct HDF5DatasetOptions: Sendable {
    /// Chunk size aimed at when ``chunkRows`` is nil: about 1 MiB, large enough for LZ4 to compress
    /// well and for sequential reads to be efficient, small enough to read one chunk at a time.
    public static let targetChunkByteCount = 1 << 20

    /// When true, the first dimension is unlimited, so rows can be appended.
    public var extendable: Bool
    /// Shuffle (filter 2) then LZ4 (filter 32004), or no filters.
    public var compression: HDF5Compression
    /// Rows per chunk; nil picks `max(1, targetChunkByteCount / bytesPerRow)`.
    public var chunkRows: Int?

    /// Defaults: extendable, shuffle+LZ4, about 1 MiB chunks.
    public init(extendable: Bool = true, compression: HDF5Compression = .shuffleLZ4, chunkRows: Int? = nil) {
        self.extendable = extendable
        self.compression = compression
        self.chunkRows = chunkRows
    }

    /// Rows per chunk for rows of `bytesPerRow` bytes when `rowCount` rows exist now.
    func resolvedChunkRows(bytesPerRow: Int, rowCount: Int) -> Int {
        if let chunkRows { return chunkRows }
        let automatic = max(1, Self.targetChunkByteCount / max(bytesPerRow, 1))
        // A fixed-size dataset never needs chunks longer than itself.
        return extendable ? automatic : min(automatic, max(rowCount, 1))
    }
}

/// The filter pipeline of a new dataset.
public enum HDF5Compression: Sendable {
    case none
    /// HDF5's byte shuffle (id 2) followed by LZ4 (id 32004, `cd_values` [0]).
    case shuffleLZ4
}

/// An HDF5 group: a directory of datasets, groups and attributes.
public final class HDF5Group: @unchecked Sendable {
    /// The file this group belongs to (kept alive by the group).
    public let file: HDF5File
    /// Absolute path inside the file, e.g. `/` or `/posteriors`.
    public let objectPath: String
    let handle: HDF5Handle

    init(file: HDF5File, handle: HDF5Handle, objectPath: String) {
        self.file = file
        self.handle = handle
        self.objectPath = objectPath
        file.adopt(handle)
    }

    /// The group's attributes (the root group's are the file's attributes, `f.attrs` in h5py).
    public var attributes: HDF5Attributes {
        HDF5Attributes(owner: handle, ownerPath: file.displayPath(objectPath))
    }

    func childPath(_ name: String) -> String {
        objectPath == "/" ? "/\(name)" : "\(objectPath)/\(name)"
    }

    /// Whether a direct member (group or dataset) called `name` exists.
    public func contains(_ name: String) throws -> Bool {
        try H5.linkExists(in: handle, named: name, path: file.displayPath(childPath(name)))
    }

    /// Names of the direct members, sorted.
    public func memberNames() throws -> [String] {
        try H5.linkNames(in: handle)
    }

    /// Creates the member group `name` (one path component).
    public func createGroup(_ name: String) throws -> HDF5Group {
        try requireWritable(name)
        let path = childPath(name)
        return HDF5Group(file: file, handle: try H5.createGroup(in: handle, named: name, path: file.displayPath(path)),
                         objectPath: path)
    }

    /// Opens the member group `name`; ``HDF5Error/missingObject(path:)`` when absent.
    public func openGroup(_ name: String) throws -> HDF5Group {
        let path = childPath(name)
        guard try contains(name) else { throw HDF5Error.missingObject(path: file.displayPath(path)) }
        return HDF5Group(file: file, handle: try H5.openGroup(in: handle, named: name, path: file.displayPath(path)),
                         objectPath: path)
    }

    /// Creates a dataset of `T` with the given shape (rank 1 to 3 or more; the first dimension is
    /// rows). Chunked with shuffle+LZ4 by default; see ``HDF5DatasetOptions``.
    public func createDataset<T: HDF5Element>(_ name: String, of type: T.Type, shape: [Int],
                                              options: HDF5DatasetOptions = HDF5DatasetOptions()) throws -> HDF5Dataset {
        try requireWritable(name)
        let path = childPath(name)
        let display = file.displayPath(path)
        guard !shape.isEmpty, shape.allSatisfy({ $0 >= 0 }) else {
            throw HDF5Error.invalidArgument(path: display, reason: "invalid shape \(shape)")
        }
        let chunked = options.extendable || options.compression != .none
        var chunk: [Int]?
        if chunked {
            let rowShape = Array(shape.dropFirst())
            guard rowShape.allSatisfy({ $0 > 0 }) else {
                throw HDF5Error.invalidArgument(path: display, reason: "chunked datasets need non-zero row shape, got \(shape)")
            }
            let bytesPerRow = rowShape.reduce(1, *) * (T.hdf5ElementType.byteCount ?? 1)
            let rows = options.resolvedChunkRows(bytesPerRow: bytesPerRow, rowCount: shape[0])
            guard rows > 0 else { throw HDF5Error.invalidArgument(path: display, reason: "chunk rows must be positive") }
            chunk = [rows] + rowShape
        }
        let maximum: [Int?] = [options.extendable ? nil : shape[0]] + shape.dropFirst().map { Optional($0) }
        let datasetHandle = try H5.createDataset(
            in: handle, named: name, element: T.hdf5ElementType, dimensions: shape, maximum: maximum, chunk: chunk,
            shuffleAndLZ4: options.compression == .shuffleLZ4, path: display)
        return try HDF5Dataset(file: file, handle: datasetHandle, objectPath: path)
    }

    /// Creates a fixed-size dataset holding `values` (row-major, `shape` defaults to `[values.count]`).
    @discardableResult
    public func createDataset<T: HDF5Element>(_ name: String, values: [T], shape: [Int]? = nil,
                                              compression: HDF5Compression = .none) throws -> HDF5Dataset {
        let shape = shape ?? [values.count]
        let dataset = try createDataset(name, of: T.self, shape: shape,
                                        options: HDF5DatasetOptions(extendable: false, compression: compression))
        try dataset.writeRows(values, startingAt: 0)
        return dataset
    }

    /// Creates a fixed-size 1-D dataset of variable-length UTF-8 strings (h5py reads the elements as
    /// `bytes` by default, or `str` through `dataset.asstr()`).
    @discardableResult
    public func createDataset(_ name: String, strings: [String]) throws -> HDF5Dataset {
        try requireWritable(name)
        let path = childPath(name)
        let handle = try H5.createStringDataset(in: handle, named: name, values: strings,
                                                path: file.displayPath(path))
        return try HDF5Dataset(file: file, handle: handle, objectPath: path)
    }

    /// Opens the member dataset `name`; ``HDF5Error/missingObject(path:)`` when absent.
    public func openDataset(_ name: String) throws -> HDF5Dataset {
        let path = childPath(name)
        guard try contains(name) else { throw HDF5Error.missingObject(path: file.displayPath(path)) }
        return try HDF5Dataset(file: file, handle: try H5.openDataset(in: handle, named: name,
                                                                      path: file.displayPath(path)),
                               objectPath: path)
    }

    private func requireWritable(_ name: String) throws {
        guard file.isWritable else {
            throw HDF5Error.invalidArgument(path: file.displayPath(childPath(name)), reason: "file is open read-only")
        }
    }
}
