import Foundation
import Testing
@testable import NPEData

/// Each structural defect is reported by name. The defects are made by editing a good file through
/// the low-level API (`openForUpdate`), the way a foreign or damaged file would look.
@Suite struct TrainingDatasetValidationTests {
    struct Defect: CustomTestStringConvertible, Sendable {
        let testDescription: String
        let damage: @Sendable (HDF5Group) throws -> Void
        let expected: @Sendable (String) -> TrainingDatasetError
    }

    static let defects: [Defect] = [
        Defect(testDescription: "unknown format version",
               damage: { try $0.attributes.set("format_version", to: .int64(2)) },
               expected: { .unsupportedFormatVersion(file: $0, found: 2, supported: 1) }),
        Defect(testDescription: "missing attribute",
               damage: { try $0.attributes.remove("seed") },
               expected: { .missingAttribute(file: $0, attribute: "seed") }),
        Defect(testDescription: "attribute of the wrong type",
               damage: { try $0.attributes.set("row_count", to: .string("seven")) },
               expected: { .invalidMetadata(file: $0, attribute: "row_count", reason: "expected an integer") }),
        Defect(testDescription: "row count disagrees",
               damage: { try $0.attributes.set("row_count", to: .int64(12)) },
               expected: { .rowCountMismatch(file: $0, dataset: "theta", expected: 12, found: 10) }),
        Defect(testDescription: "one dataset shorter",
               damage: { try $0.openDataset("x").resize(rowCount: 9) },
               expected: { .rowCountMismatch(file: $0, dataset: "x", expected: 10, found: 9) }),
        Defect(testDescription: "flags shorter",
               damage: { try $0.openDataset("flags").resize(rowCount: 3) },
               expected: { .rowCountMismatch(file: $0, dataset: "flags", expected: 10, found: 3) }),
        Defect(testDescription: "parameter names disagree with theta",
               damage: { try $0.attributes.set("parameter_names", to: .string(#"["a","b","c","d"]"#)) },
               expected: { .invalidMetadata(file: $0, attribute: "parameter_units", reason: "3 units for 4 parameters") }),
        Defect(testDescription: "context without names",
               damage: { try $0.attributes.set("context_names", to: .string("[]")) },
               expected: { .invalidMetadata(file: $0, attribute: "context_names",
                                            reason: "is empty, but a 'context' dataset exists") }),
        Defect(testDescription: "prior is not JSON",
               damage: { try $0.attributes.set("prior", to: .string("uniform(0,1)")) },
               expected: { .invalidMetadata(file: $0, attribute: "prior", reason: "not valid JSON") }),
    ]

    @Test(arguments: defects)
    func defectIsReported(_ defect: Defect) throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("d.h5")
        try writeSampleDataset(at: url, rows: 10)
        let update = try HDF5File.openForUpdate(at: url)
        try defect.damage(update.root())
        try update.commit()
        #expect(throws: defect.expected(url.standardizedFileURL.path)) { _ = try TrainingDatasetReader(contentsOf: url) }
    }

    @Test func wrongDtypeAndMissingDatasetAreNamed() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("t.h5").standardizedFileURL.path
        // A file whose theta is float64: what an importer must convert, never what the reader accepts.
        let file = try HDF5File.create(at: directory.file("t.h5"))
        let root = try file.root()
        let source = directory.file("good.h5")
        try writeSampleDataset(at: source, rows: 4)
        let good = try HDF5File.open(at: source).root()
        for name in try good.attributes.names() {
            try root.attributes.set(name, to: try good.attributes.value(of: name)!)
        }
        try root.createDataset("theta", values: [Double](repeating: 1, count: 12), shape: [4, 3])
        try file.commit()
        #expect(throws: TrainingDatasetError.missingDataset(file: path, dataset: "wavelength")) {
            _ = try TrainingDatasetReader(contentsOf: URL(fileURLWithPath: path))
        }
        let update = try HDF5File.openForUpdate(at: URL(fileURLWithPath: path))
        try update.root().createDataset("wavelength", values: [0.5, 0.7, 1.1, 2.0, 5.0])
        try update.root().createDataset("bin_width", values: [0.1, 0.1, 0.2, 0.5, 1.0])
        try update.commit()
        #expect(throws: TrainingDatasetError.wrongElementType(file: path, dataset: "theta", expected: .float32,
                                                               found: .float64)) {
            _ = try TrainingDatasetReader(contentsOf: URL(fileURLWithPath: path))
        }
    }

    @Test func tamperedRowsFailDigestVerification() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("d.h5")
        try writeSampleDataset(at: url, rows: 10)
        let update = try HDF5File.openForUpdate(at: url)
        try update.root().openDataset("x").writeRows([Float](repeating: 0, count: 5), startingAt: 6)
        try update.commit()
        let reader = try TrainingDatasetReader(contentsOf: url)
        #expect(throws: TrainingDatasetError.self) { try reader.verifyContentDigest() }
        #expect(throws: TrainingDatasetError.outOfRange(file: url.standardizedFileURL.path, requested: "chunk 2 of 2",
                                                         rowCount: 10)) { _ = try reader.readChunk(2) }
    }
}
