/// Why a training-dataset file cannot be written or read. Every case names the file and the
/// dataset, attribute or row involved.
public enum TrainingDatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingDataset(file: String, dataset: String)
    case missingAttribute(file: String, attribute: String)
    case unsupportedFormatVersion(file: String, found: Int64, supported: Int64)
    case wrongElementType(file: String, dataset: String, expected: HDF5ElementType, found: HDF5ElementType)
    /// A dataset has the wrong number of dimensions or columns, e.g. `x` has 50 columns but `wavelength` 52.
    case wrongShape(file: String, dataset: String, expected: String, found: [Int])
    case rowCountMismatch(file: String, dataset: String, expected: Int, found: Int)
    /// An attribute is present but unusable (bad JSON, wrong type, inconsistent with the data).
    case invalidMetadata(file: String, attribute: String, reason: String)
    /// A value passed to the writer is not finite (x may be non-finite only in a row flagged as failed).
    case nonFiniteValue(file: String, dataset: String, row: Int, column: Int)
    /// A batch passed to the writer has the wrong number of values.
    case wrongBatchSize(file: String, dataset: String, expected: Int, found: Int)
    /// The data does not hash to the recorded `content_sha256`.
    case digestMismatch(file: String, recorded: String, computed: String)
    /// A chunk index or row range outside the dataset.
    case outOfRange(file: String, requested: String, rowCount: Int)
    /// The storage layer failed underneath (its error names the HDF5 call and object).
    case storage(HDF5Error)

    public var description: String {
        switch self {
        case let .missingDataset(file, dataset): return "\(file): dataset '\(dataset)' is missing"
        case let .missingAttribute(file, attribute): return "\(file): attribute '\(attribute)' is missing"
        case let .unsupportedFormatVersion(file, found, supported):
            return "\(file): format_version \(found) is not supported (this reader knows version \(supported))"
        case let .wrongElementType(file, dataset, expected, found):
            return "\(file): dataset '\(dataset)' has element type \(found), expected \(expected)"
        case let .wrongShape(file, dataset, expected, found):
            return "\(file): dataset '\(dataset)' has shape \(found), expected \(expected)"
        case let .rowCountMismatch(file, dataset, expected, found):
            return "\(file): dataset '\(dataset)' has \(found) rows, expected \(expected)"
        case let .invalidMetadata(file, attribute, reason): return "\(file): attribute '\(attribute)': \(reason)"
        case let .nonFiniteValue(file, dataset, row, column):
            return "\(file): dataset '\(dataset)' row \(row) column \(column) is not finite"
        case let .wrongBatchSize(file, dataset, expected, found):
            return "\(file): batch for '\(dataset)' has \(found) values, expected \(expected)"
        case let .digestMismatch(file, recorded, computed):
            return "\(file): content digest mismatch: recorded \(recorded), computed \(computed)"
        case let .outOfRange(file, requested, rowCount):
            return "\(file): \(requested) is outside the \(rowCount) rows"
        case let .storage(error): return error.description
        }
    }
}

/// Runs a storage operation, wrapping ``HDF5Error`` as ``TrainingDatasetError/storage(_:)``.
func storage<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as HDF5Error { throw TrainingDatasetError.storage(error) }
}
