import Foundation
import NPECSV
import NPERegistry
import NPETestSupport
import PropertyBased
import NPESafetensors
import Testing

@testable import NPEData
@testable import NPEDatasets
@testable import NPEInference

/// Property-based fuzzing of every parser of outside bytes. The property is the same for all: whatever the bytes,
/// the parser returns a value that satisfies its own invariants or throws its typed error; it never traps, crashes
/// or hangs. Inputs are random, or (more useful, since they reach deeper) one to three random edits of a valid file.
/// A trap would end the test process, so a passing run is the evidence; the tallies are printed for the report.
@Suite struct ParserFuzzTests {
    /// CSV text from an alphabet of the characters that matter to the splitter (quotes, commas, line ends, `#`).
    static let csvText = Gen<Character?>.element(of: Array(",\"\n\r#  a1x_.-eé\t0") as [Character]).map { $0! }.string(of: 0...80)

    @Test func csvTableAndNumericCSV() async {
        let tally = ExecutionTally()
        await propertyCheck(count: FuzzBudget.cases * 4, input: Self.csvText) { text in
            do {
                let table = try CSVTable(text: text, file: "fuzz.csv")
                #expect(table.rows.allSatisfy { $0.fields.count == table.header.count })
                #expect(Set(table.header).count == table.header.count)
                tally.add("table")
            } catch is CSVError {
                tally.add("CSVError")
            } catch {
                Issue.record("CSVTable threw an untyped error \(error) for \(text.debugDescription)")
            }
            do {
                let numbers = try NumericCSV(text: text, file: "fuzz.csv")
                #expect(numbers.values.count == numbers.rowCount * numbers.columnCount)
                // Error locations are built for rows and columns that may not exist: never a trap.
                _ = numbers.location(row: numbers.rowCount, column: numbers.columnCount)
                _ = numbers.location(row: 0, column: 0)
            } catch is DatasetBuildError {
            } catch {
                Issue.record("NumericCSV threw an untyped error \(error)")
            }
        }
        print("fuzz csv: \(FuzzBudget.cases * 4) inputs: \(tally.summary)")
    }

    /// A valid safetensors file with metadata and three dtypes.
    static let safetensorsSeed: [UInt8] = {
        let tensors = NamedTensors(
            tensors: ["w": try! TensorBlob(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6]),
                      "b": try! TensorBlob(shape: [3], values: .float64([0.5, -1, 2])),
                      "i": try! TensorBlob(shape: [1], values: .int64([7]))],
            metadata: ["checkpoint": "{\"epoch\":1}"])
        return Array(try! SealedSafetensors.encode(tensors))
    }()

    @Test func safetensorsHeaderAndSeal() async throws {
        let tally = ExecutionTally()
        let seed = Self.safetensorsSeed
        let original = try SealedSafetensors.decode(Data(seed))
        await propertyCheck(count: FuzzBudget.cases * 4, input: mutations(upTo: seed.count)) { edits in
            let bytes = Data(edits.apply(to: seed))
            do {
                let named = try Safetensors.decode(bytes)
                let covered = named.tensors.values.reduce(0) { $0 + $1.byteCount }
                #expect(covered <= bytes.count)
                tally.add("decoded")
            } catch is SafetensorsError {
                tally.add("SafetensorsError")
            } catch {
                Issue.record("Safetensors.decode threw an untyped error \(error)")
            }
            // A sealed file either still holds exactly its content, or is refused.
            if let sealed = try? SealedSafetensors.decode(bytes) {
                #expect(sealed == original, "a mutation (\(edits)) passed the seal with different content")
                tally.add("seal intact")
            } else {
                tally.add("seal refused")
            }
        }
        print("fuzz safetensors: \(FuzzBudget.cases * 4) inputs: \(tally.summary)")
    }

    /// Writes a version-1 `.npy` of `rows × columns` float64 values.
    static func npy(rows: Int, columns: Int) -> [UInt8] {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        for k in 0..<(rows * columns) { withUnsafeBytes(of: Double(k).bitPattern.littleEndian) { bytes += $0 } }
        return bytes
    }

    @Test func numpyHeader() async throws {
        let directory = try makeTemporaryDirectory("fuzz-npy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let seed = Self.npy(rows: 3, columns: 2)
        let tally = ExecutionTally()
        // Mutations concentrate on the header (the first 80 bytes), where the parsing is.
        await propertyCheck(count: FuzzBudget.cases, input: mutations(upTo: 80)) { edits in
            let url = directory.appendingPathComponent("a.npy")
            try Data(edits.apply(to: seed)).write(to: url)
            do {
                let array = try NumpyArrayFile(path: url.path)
                #expect(array.rowCount >= 0 && array.columnCount >= 0)
                _ = try? array.readRows(0..<min(array.rowCount, 2))
                tally.add("parsed")
            } catch is DatasetBuildError {
                tally.add("DatasetBuildError")
            } catch {
                Issue.record("NumpyArrayFile threw an untyped error \(error)")
            }
        }
        print("fuzz npy: \(FuzzBudget.cases) inputs: \(tally.summary)")
    }

    @Test func lz4ChunkDecoder() async throws {
        var random = SplitMix64(seed: 13)
        let payload = (0..<3000).map { k in k % 97 < 60 ? UInt8(k % 7) : UInt8(truncatingIfNeeded: random.next()) }
        let block = try LZ4ChunkCodec.blockSize(forChunkOf: payload.count, requested: 1024)
        var encoded = [UInt8](repeating: 0, count: LZ4ChunkCodec.maximumEncodedByteCount(forChunkOf: payload.count, blockSize: block))
        let written = payload.withUnsafeBytes { input in encoded.withUnsafeMutableBytes { LZ4ChunkCodec.encode(input, blockSize: block, into: $0) } }
        let seed = Array(encoded[..<written])
        let tally = ExecutionTally()
        await propertyCheck(count: FuzzBudget.cases * 4, input: mutations(upTo: seed.count)) { edits in
            let bytes = edits.apply(to: seed)
            do {
                let size = try bytes.withUnsafeBytes { try LZ4ChunkCodec.decodedByteCount(of: $0) }
                #expect(size <= 255 * bytes.count)
                var output = [UInt8](repeating: 0, count: size)
                try bytes.withUnsafeBytes { input in try output.withUnsafeMutableBytes { try LZ4ChunkCodec.decode(input, into: $0) } }
                tally.add("decoded")
            } catch is LZ4ChunkCodec.CodecError {
                tally.add("CodecError")
            } catch {
                Issue.record("LZ4ChunkCodec threw an untyped error \(error)")
            }
        }
        print("fuzz lz4: \(FuzzBudget.cases * 4) inputs: \(tally.summary)")
    }

    /// A small catalogue written by NPEData (so sealed), with every dataset and string the reader parses.
    static func writeCatalogue(_ url: URL) throws {
        let file = try HDF5File.create(at: url, replacingExisting: true)
        let root = try file.root()
        _ = try root.createDataset("x", values: (0..<12).map { Float($0) * 1e-3 }, shape: [3, 4])
        _ = try root.createDataset("wavelength", values: [0.5, 1.0, 2.0, 4.0], shape: [4])
        _ = try root.createDataset("sigma", values: [Double](repeating: 1e-4, count: 12), shape: [3, 4])
        let context = try root.createDataset("context", values: [1.0, 2.0, 3.0], shape: [3, 1])
        try context.attributes.set("context_names", to: .string("[\"planet_mass\"]"))
        _ = try root.createDataset("id", strings: ["HD 209458 b", "WASP-39 b", "K2-18 b"])
        try root.attributes.set("prior", to: .string(String(repeating: "{\"uniform\":[0,1]}", count: 20)))
        try file.commit()
    }

    /// The catalogue and training-dataset readers on damaged files: the seal refuses every damaged byte before
    /// libhdf5 parses the file (libhdf5 itself can crash on some, e.g. a corrupted variable-length string heap).
    @Test func sealedHDF5ReadersRefuseDamage() async throws {
        let directory = try makeTemporaryDirectory("fuzz-h5")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("catalogue.h5")
        try Self.writeCatalogue(source)
        let seed = Array(try Data(contentsOf: source))
        let tally = ExecutionTally()
        await propertyCheck(count: FuzzBudget.cases, input: mutations(upTo: seed.count, count: 1...2)) { edits in
            let bytes = edits.apply(to: seed)
            let url = directory.appendingPathComponent("damaged.h5")
            try Data(bytes).write(to: url)
            do {
                let catalogue = try Catalogue(hdf5: url)
                // Only an edit that left the bytes as they were (or touched only the user block's padding) opens.
                #expect(catalogue.ids == ["HD 209458 b", "WASP-39 b", "K2-18 b"])
                tally.add("unchanged content")
            } catch let error as HDF5Error {
                if case .sealMismatch = error { tally.add("seal refused") } else { tally.add("HDF5Error") }
            } catch {
                tally.add("\(type(of: error))")
            }
            do {
                _ = try TrainingDatasetReader(contentsOf: url)
            } catch {
                tally.add("dataset reader: \(type(of: error))")
            }
        }
        print("fuzz hdf5 (sealed): \(FuzzBudget.cases) inputs: \(tally.summary)")
    }
}
