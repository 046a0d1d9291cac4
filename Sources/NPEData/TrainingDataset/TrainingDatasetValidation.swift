import Foundation

/// The structural checks a reader runs on open, each turning a problem into a
/// ``TrainingDatasetError`` that names the file and the dataset or attribute.
struct TrainingDatasetValidation {
    typealias Name = TrainingDatasetFormat.Dataset
    typealias Key = TrainingDatasetFormat.Attribute

    let path: String
    let root: HDF5Group
    let attributes: HDF5Attributes

    init(file: HDF5File, path: String) throws {
        self.path = path
        root = try storage { try file.root() }
        attributes = root.attributes
        let version = try int64(.formatVersion)
        guard version == TrainingDatasetFormat.version else {
            throw TrainingDatasetError.unsupportedFormatVersion(file: path, found: version,
                                                                supported: TrainingDatasetFormat.version)
        }
    }

    func metadata() throws -> TrainingDatasetMetadata {
        let createdText = try string(.createdAt)
        guard let created = TrainingDatasetFormat.parseDate(createdText) else {
            throw invalid(.createdAt, "'\(createdText)' is not an ISO 8601 date")
        }
        let metadata = TrainingDatasetMetadata(
            parameterNames: try strings(.parameterNames), parameterUnits: try strings(.parameterUnits),
            priorJSON: try string(.prior), contextNames: try strings(.contextNames),
            wavelength: try grid(.wavelength), binWidth: try grid(.binWidth),
            simulatorName: try string(.simulatorName), simulatorVersion: try string(.simulatorVersion),
            simulatorConfigurationJSON: try string(.simulatorConfiguration), noiseModelJSON: try string(.noiseModel),
            seed: try seed(), createdAt: created)
        try metadata.validate(file: path)
        return metadata
    }

    func recordedRowCount() throws -> Int {
        let rows = try int64(.rowCount)
        guard rows >= 0 else { throw invalid(.rowCount, "negative (\(rows))") }
        return Int(rows)
    }

    /// A required float32 `[rows, columns]` dataset.
    func rowDataset(_ name: Name, columns: Int, rows: Int) throws -> HDF5Dataset {
        let dataset = try open(name)
        try requireType(dataset, name, .float32)
        let shape = try storage { try dataset.shape() }
        guard shape.count == 2, shape[1] == columns else {
            throw TrainingDatasetError.wrongShape(file: path, dataset: name.rawValue, expected: "[N, \(columns)]",
                                                  found: shape)
        }
        guard shape[0] == rows else {
            throw TrainingDatasetError.rowCountMismatch(file: path, dataset: name.rawValue, expected: rows,
                                                        found: shape[0])
        }
        return dataset
    }

    /// With no context names, a `context` dataset would be unlabelled columns: reject it. Returns nil.
    func requireNoContext() throws -> HDF5Dataset? {
        if try storage({ try root.contains(Name.context.rawValue) }) {
            throw invalid(.contextNames, "is empty, but a 'context' dataset exists")
        }
        return nil
    }

    /// The uint8 `[rows]` flags dataset, or nil when the file has none.
    func optionalFlags(rows: Int) throws -> HDF5Dataset? {
        guard try storage({ try root.contains(Name.flags.rawValue) }) else { return nil }
        let dataset = try open(.flags)
        try requireType(dataset, .flags, .uint8)
        let shape = try storage { try dataset.shape() }
        guard shape.count == 1 else {
            throw TrainingDatasetError.wrongShape(file: path, dataset: Name.flags.rawValue, expected: "[N]", found: shape)
        }
        guard shape[0] == rows else {
            throw TrainingDatasetError.rowCountMismatch(file: path, dataset: Name.flags.rawValue, expected: rows,
                                                        found: shape[0])
        }
        return dataset
    }

    func string(_ key: Key) throws -> String {
        switch try value(key) {
        case .string(let text): return text
        default: throw invalid(key, "expected a string")
        }
    }

    // MARK: Private

    private func open(_ name: Name) throws -> HDF5Dataset {
        guard try storage({ try root.contains(name.rawValue) }) else {
            throw TrainingDatasetError.missingDataset(file: path, dataset: name.rawValue)
        }
        return try storage { try root.openDataset(name.rawValue) }
    }

    private func requireType(_ dataset: HDF5Dataset, _ name: Name, _ expected: HDF5ElementType) throws {
        guard dataset.elementType == expected else {
            throw TrainingDatasetError.wrongElementType(file: path, dataset: name.rawValue, expected: expected,
                                                        found: dataset.elementType)
        }
    }

    /// A float64 `[M]` grid dataset read whole (it is small).
    private func grid(_ name: Name) throws -> [Double] {
        let dataset = try open(name)
        try requireType(dataset, name, .float64)
        guard dataset.rowShape.isEmpty else {
            throw TrainingDatasetError.wrongShape(file: path, dataset: name.rawValue, expected: "[M]",
                                                  found: try storage { try dataset.shape() })
        }
        return try storage { try dataset.readAll(as: Double.self) }
    }

    private func value(_ key: Key) throws -> HDF5AttributeValue {
        guard let value = try storage({ try attributes.value(of: key.rawValue) }) else {
            throw TrainingDatasetError.missingAttribute(file: path, attribute: key.rawValue)
        }
        return value
    }

    private func int64(_ key: Key) throws -> Int64 {
        switch try value(key) {
        case .int64(let number): return number
        case .uint64(let number) where number <= UInt64(Int64.max): return Int64(number)
        default: throw invalid(key, "expected an integer")
        }
    }

    private func seed() throws -> UInt64 {
        switch try value(.seed) {
        case .uint64(let number): return number
        case .int64(let number) where number >= 0: return UInt64(number)
        default: throw invalid(.seed, "expected a non-negative integer")
        }
    }

    private func strings(_ key: Key) throws -> [String] {
        let text = try string(key)
        guard let list = TrainingDatasetFormat.decodeJSONStrings(text) else {
            throw invalid(key, "expected a JSON array of strings")
        }
        return list
    }

    private func invalid(_ key: Key, _ reason: String) -> TrainingDatasetError {
        .invalidMetadata(file: path, attribute: key.rawValue, reason: reason)
    }
}
