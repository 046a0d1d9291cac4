import Foundation
import Testing
@testable import NPEData

@Suite struct HDF5FileTests {
    @Test func filterIsRegisteredInProcess() throws {
        let directory = try TemporaryDirectory()
        _ = try HDF5File.create(at: directory.file("a.h5"))  // starts the library
        #expect(LZ4Filter.isAvailable())
    }

    @Test func matrixRoundTripWithShuffleLZ4() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("m.h5")
        var generator = SeededValues(seed: 7)
        let values = generator.floats(300 * 52)
        let file = try HDF5File.create(at: url)
        let dataset = try file.root().createDataset("x", of: Float.self, shape: [300, 52])
        try dataset.writeRows(values, startingAt: 0)
        // 1 MiB / (52 × 4 bytes) = 5041 rows per chunk.
        #expect(dataset.chunkShape == [5041, 52])
        #expect(dataset.filters.map(\.identifier) == [2, 32004])
        try file.commit()

        let reader = try HDF5File.open(at: url)
        let x = try reader.root().openDataset("x")
        #expect(try x.shape() == [300, 52])
        #expect(x.elementType == .float32)
        #expect(try x.readAll(as: Float.self) == values)
        #expect(try x.readRows(10..<12, as: Float.self) == Array(values[520..<624]))
    }

    @Test func appendAndReadChunks() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("append.h5")
        let file = try HDF5File.create(at: url)
        let samples = try file.root().createDataset("samples", of: Float.self, shape: [0, 4, 3],
                                                    options: HDF5DatasetOptions(chunkRows: 5))
        var generator = SeededValues(seed: 3)
        var expected: [Float] = []
        for batch in [7, 1, 0, 5] {
            let values = generator.floats(batch * 12)
            let range = try samples.appendRows(values)
            #expect(range.count == batch)
            expected += values
        }
        #expect(try samples.shape() == [13, 4, 3])
        try file.commit()

        let reader = try HDF5File.open(at: url).root().openDataset("samples")
        #expect(reader.rowShape == [4, 3])
        #expect(try reader.chunkCount() == 3)
        #expect(try reader.rowRange(ofChunk: 2) == 10..<13)
        var joined: [Float] = []
        for chunk in [2, 0, 1] { joined += try reader.readChunk(chunk, as: Float.self) }
        #expect(joined == Array(expected[120...]) + Array(expected[..<120]))
        #expect(throws: HDF5Error.self) { try reader.rowRange(ofChunk: 3) }
    }

    @Test func oneDimensionalTypesAndAttributes() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("types.h5")
        let file = try HDF5File.create(at: url)
        let root = try file.root()
        try root.createDataset("wavelength", values: [0.5, 1.25, 7.75])
        try root.createDataset("ids", values: [Int64.min, 0, Int64.max], compression: .shuffleLZ4)
        try root.createDataset("flags", values: [UInt8(0), 1, 255])
        let group = try root.createGroup("meta")
        try group.attributes.set("json", to: .string(#"{"a": [1, 2], "name": "H₂O"}"#))
        try group.attributes.set("count", to: .int64(-3))
        try group.attributes.set("seed", to: .uint64(UInt64.max))
        try group.attributes.set("scale", to: .double(0.125))
        try group.attributes.set("count", to: .int64(4))  // replaces
        try file.commit()

        let reader = try HDF5File.open(at: url).root()
        #expect(try reader.memberNames() == ["flags", "ids", "meta", "wavelength"])
        #expect(try reader.openDataset("wavelength").readAll(as: Double.self) == [0.5, 1.25, 7.75])
        #expect(try reader.openDataset("ids").readAll(as: Int64.self) == [Int64.min, 0, Int64.max])
        #expect(try reader.openDataset("flags").readAll(as: UInt8.self) == [0, 1, 255])
        let attributes = try reader.openGroup("meta").attributes
        #expect(try attributes.names() == ["count", "json", "scale", "seed"])
        #expect(try attributes.string("json") == #"{"a": [1, 2], "name": "H₂O"}"#)
        #expect(try attributes.int64("count") == 4)
        #expect(try attributes.uint64("seed") == UInt64.max)
        #expect(try attributes.double("scale") == 0.125)
        #expect(try attributes.value(of: "absent") == nil)
    }

    @Test func stringDatasets() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("strings.h5")
        let file = try HDF5File.create(at: url)
        let names = ["HD 209458 b", "", "WASP-39 b", "τ Boötis b"]
        try file.root().createDataset("targets", strings: names)
        try file.root().createDataset("none", strings: [])
        try file.commit()
        let root = try HDF5File.open(at: url).root()
        let targets = try root.openDataset("targets")
        #expect(targets.elementType == .string)
        #expect(try targets.readStrings() == names)
        #expect(try root.openDataset("none").readStrings() == [])
        #expect(throws: HDF5Error.elementTypeMismatch(path: "\(url.path):/targets", stored: .string, requested: .float32)) {
            _ = try targets.readAll(as: Float.self)
        }
    }

    @Test func typedErrorsNameFileAndObject() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("errors.h5")
        let file = try HDF5File.create(at: url)
        let root = try file.root()
        let x = try root.createDataset("x", of: Float.self, shape: [4, 2])
        #expect(throws: HDF5Error.shapeMismatch(path: "\(url.path):/x", expected: "a multiple of 2 elements (row shape [2])",
                                                actual: "3 elements")) {
            try x.writeRows([Float](repeating: 0, count: 3), startingAt: 0)
        }
        #expect(throws: HDF5Error.elementTypeMismatch(path: "\(url.path):/x", stored: .float32, requested: .float64)) {
            _ = try x.readAll(as: Double.self)
        }
        #expect(throws: HDF5Error.rowRangeOutOfBounds(path: "\(url.path):/x", requested: 3..<6, rowCount: 4)) {
            _ = try x.readRows(3..<6, as: Float.self)
        }
        #expect(throws: HDF5Error.missingObject(path: "\(url.path):/nope")) { _ = try root.openDataset("nope") }
        // A C-level failure: creating the same name twice.
        do {
            _ = try root.createDataset("x", of: Float.self, shape: [1, 1])
            Issue.record("expected H5Dcreate2 to fail")
        } catch let HDF5Error.callFailed(function, path, details) {
            #expect(function == "H5Dcreate2")
            #expect(path == "\(url.path):/x")
            #expect(!details.isEmpty)
        }
        #expect(throws: HDF5Error.attributeTypeMismatch(path: "\(url.path):/@n", stored: "int64", requested: "string")) {
            try root.attributes.set("n", to: .int64(1))
            _ = try root.attributes.string("n")
        }
        try file.commit()
        #expect(throws: HDF5Error.objectClosed(path: "\(url.path):/x")) { _ = try x.rowCount() }
        #expect(throws: HDF5Error.self) { _ = try HDF5File.open(at: directory.file("missing.h5")) }
        let orphan = directory.file("no-such-dir/f.h5")
        #expect(throws: HDF5Error.invalidArgument(path: orphan.path, reason: "directory \(directory.url.path)/no-such-dir does not exist")) {
            _ = try HDF5File.create(at: orphan)
        }
        let garbage = directory.file("garbage.h5")
        try Data("not hdf5".utf8).write(to: garbage)
        #expect(throws: HDF5Error.self) { _ = try HDF5File.open(at: garbage) }
        let readOnly = try HDF5File.open(at: url).root()
        #expect(throws: HDF5Error.self) { _ = try readOnly.createGroup("g") }
    }

    @Test func nothingAppearsAtTheFinalNameBeforeCommit() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("atomic.h5")
        var file: HDF5File? = try HDF5File.create(at: url)
        try file!.root().createDataset("x", values: [Float(1), 2, 3])
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(try directory.contents().count == 1)  // only the hidden .partial file
        #expect(try directory.contents()[0].hasSuffix(".partial"))
        file = nil  // abandoned: as if the process stopped before commit
        #expect(try directory.contents().isEmpty)

        // An existing file survives an abandoned replacement untouched.
        let first = try HDF5File.create(at: url)
        try first.root().createDataset("x", values: [Float(1)])
        try first.commit()
        let second = try HDF5File.create(at: url, replacingExisting: true)
        try second.root().createDataset("x", values: [Float(2)])
        try second.close()
        #expect(try HDF5File.open(at: url).root().openDataset("x").readAll(as: Float.self) == [1])
        #expect(throws: HDF5Error.self) { _ = try HDF5File.create(at: url) }
        #expect(try directory.contents() == ["atomic.h5"])
    }

    @Test func aCrashBeforeCommitLeavesOnlyATemporaryFile() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("crash.h5")
        let file = try HDF5File.create(at: url)
        try file.root().createDataset("x", of: Float.self, shape: [0, 3]).appendRows([Float](repeating: 1, count: 3000))
        // A process that dies runs no cleanup: model it by never releasing the writer.
        let leaked = Unmanaged.passRetained(file)
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(throws: HDF5Error.self) { _ = try HDF5File.open(at: url) }
        let partial = try directory.contents()
        #expect(partial.count == 1 && partial[0].hasPrefix(".crash.h5.") && partial[0].hasSuffix(".partial"))
        // A resumed job clears the debris (here while the "dead" writer's handle is still open, as
        // after a real crash the file is simply there).
        #expect(try HDF5File.removeAbandonedTemporaryFiles(for: url) == partial)
        #expect(try directory.contents().isEmpty)
        leaked.release()
    }

    @Test func updateIsAtomicToo() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("update.h5")
        let file = try HDF5File.create(at: url)
        try file.root().createDataset("x", of: Float.self, shape: [0, 2]).appendRows([Float(1), 2])
        try file.commit()
        let update = try HDF5File.openForUpdate(at: url)
        try update.root().openDataset("x").appendRows([Float(3), 4])
        #expect(try HDF5File.open(at: url).root().openDataset("x").rowCount() == 1)
        try update.commit()
        #expect(try HDF5File.open(at: url).root().openDataset("x").readAll(as: Float.self) == [1, 2, 3, 4])
        #expect(try directory.contents() == ["update.h5"])
    }
}
