import Foundation
import NPEData
import NPESimulators
import Testing

@testable import NPEDatasets

struct DatasetImportTests {
    private let prior = FlakySimulator.prior  // theta a, b ∈ (−1, 1); context g ∈ [1, 10]

    private func invalidInput(_ error: any Error) -> (file: String, location: String, reason: String)? {
        guard case .invalidInput(let file, let location, let reason) = error as? DatasetBuildError else { return nil }
        return (file, location, reason)
    }

    /// Writes a float64 HDF5 file with `theta`, `x`, `context` (and nothing ExoNPE-specific) through NPEData.
    private func writePairs(
        to url: URL, rows: Int, thetaColumns: Int = 2, xRows: Int? = nil,
        poison: (dataset: String, row: Int)? = nil
    ) throws -> (theta: [Double], x: [Double]) {
        let theta = (0..<rows * thetaColumns).map { 0.9 * sin(Double($0)) }
        var x = (0..<(xRows ?? rows) * 4).map { cos(Double($0)) * 1e-2 }
        if let poison, poison.dataset == "x" { x[poison.row * 4 + 2] = .nan }
        let context = (0..<rows).map { 1 + Double($0 % 9) }
        let file = try HDF5File.create(at: url)
        let root = try file.root()
        _ = try root.createDataset("theta", values: theta, shape: [rows, thetaColumns])
        _ = try root.createDataset("x", values: x, shape: [xRows ?? rows, 4])
        _ = try root.createDataset("context", values: context, shape: [rows, 1])
        try file.commit()
        return (theta, x)
    }

    @Test func importsAnHDF5FileWrittenWithNPEData() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let source = root.appendingPathComponent("pairs.h5")
        let (theta, x) = try writePairs(to: source, rows: 1234)
        let summary = try DatasetImporter(
            source: .hdf5(source), prior: prior, simulatorName: "taurex",
            simulatorVersion: "3.1"
        ).importDataset(into: root.appendingPathComponent("ds"))
        #expect(summary.rows == 1234)
        let rows = try readAllRows(summary.datasetURL)
        #expect(rows.theta == theta.map(Float.init))
        #expect(rows.x == x.map(Float.init))
        let reader = try TrainingDatasetReader(contentsOf: summary.datasetURL)
        #expect(reader.metadata.parameterNames == ["a", "b"])
        #expect(reader.metadata.contextNames == ["g"])
        #expect(reader.metadata.simulatorName == "taurex")
        #expect(reader.metadata.noiseModelJSON == "{\"none\":{}}")  // no noise augmentation unless declared
        #expect(reader.metadata.wavelength == [0, 1, 2, 3])
        try reader.verifyContentDigest()
        // Never over an existing dataset.
        #expect(throws: DatasetBuildError.outputExists(path: summary.datasetURL.path)) {
            _ = try DatasetImporter(source: .hdf5(source), prior: prior).importDataset(
                into: root.appendingPathComponent("ds"))
        }
    }

    @Test func hdf5ErrorsNameTheDatasetAndRow() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let mismatched = root.appendingPathComponent("mismatched.h5")
        _ = try writePairs(to: mismatched, rows: 10, xRows: 9)
        #expect {
            _ = try DatasetImporter(source: .hdf5(mismatched), prior: prior).importDataset(
                into: root.appendingPathComponent("a"))
        } throws: { error in
            invalidInput(error).map {
                $0.file == mismatched.path && $0.location == "dataset 'x'" && $0.reason.contains("9 rows")
            } ?? false
        }
        let poisoned = root.appendingPathComponent("nan.h5")
        _ = try writePairs(to: poisoned, rows: 10, poison: ("x", 7))
        #expect {
            _ = try DatasetImporter(source: .hdf5(poisoned), prior: prior).importDataset(
                into: root.appendingPathComponent("b"))
        } throws: { error in
            invalidInput(error).map { $0.location == "dataset 'x' row 7 column 2" && $0.reason.contains("not finite") }
                ?? false
        }
        // Nothing was published for the failed import.
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("b/dataset.h5").path))
        let wide = root.appendingPathComponent("wide.h5")
        _ = try writePairs(to: wide, rows: 10, thetaColumns: 3)
        #expect {
            _ = try DatasetImporter(source: .hdf5(wide), prior: prior).importDataset(
                into: root.appendingPathComponent("c"))
        } throws: { error in
            invalidInput(error).map { $0.location == "dataset 'theta'" && $0.reason.contains("3 columns") } ?? false
        }
        let wrongType = root.appendingPathComponent("int.h5")
        let file = try HDF5File.create(at: wrongType)
        _ = try file.root().createDataset("theta", values: [Int64](repeating: 0, count: 4), shape: [2, 2])
        _ = try file.root().createDataset("x", values: [Double](repeating: 0, count: 8), shape: [2, 4])
        try file.commit()
        #expect {
            _ = try DatasetImporter(source: .hdf5(wrongType), prior: prior).importDataset(
                into: root.appendingPathComponent("d"))
        } throws: { error in
            invalidInput(error).map { $0.location == "dataset 'theta'" && $0.reason.contains("int64") } ?? false
        }
    }

    @Test func csvImportAndErrorsNameTheLine() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let good = root.appendingPathComponent("good.csv")
        try "b,a,g,x_0,x_1\n0.5,-0.25,2,1e-3,2e-3\n# a comment\n0.1,0.2,3,3e-3,4e-3\n".write(
            to: good, atomically: true, encoding: .utf8)
        let summary = try DatasetImporter(source: .csv(good), prior: prior).importDataset(
            into: root.appendingPathComponent("ok"))
        let rows = try readAllRows(summary.datasetURL)
        #expect(rows.theta == [-0.25, 0.5, 0.2, 0.1])  // reordered to the prior's a, b
        #expect(rows.x == [1e-3, 2e-3, 3e-3, 4e-3])
        #expect(rows.context == [2, 3])

        let cases: [(String, String, String)] = [
            ("a,b,g,x_0\n0.1,0.2,3,nan\n", "line 2 (row 0), column 'x_0'", "not finite"),
            ("a,b,g,x_0\n0.1,0.2,3,1\n0.1,abc,3,1\n", "line 3 (row 1), column 'b'", "not a number"),
            ("a,b,g,x_0\n0.1,0.2,3\n", "line 2 (row 0)", "3 fields"),
            ("a,b,g,x_0\n0.1,5,3,1\n", "line 2 (row 0), column 'b'", "outside the prior support"),
            ("a,g,x_0\n0.1,3,1\n", "header", "no column 'b'"),
            ("a,b,g,x_1\n0.1,0.2,3,1\n", "header, column 'x_1'", "x_0"),
        ]
        for (index, (text, location, reason)) in cases.enumerated() {
            let url = root.appendingPathComponent("bad\(index).csv")
            try text.write(to: url, atomically: true, encoding: .utf8)
            #expect {
                _ = try DatasetImporter(source: .csv(url), prior: prior).importDataset(
                    into: root.appendingPathComponent("bad\(index)"))
            } throws: { error in
                invalidInput(error).map { $0.file == url.path && $0.location == location && $0.reason.contains(reason) }
                    ?? false
            }
        }
    }

    /// Writes a version-1 .npy file of float64 (`<f8`) or float32 (`<f4`) values.
    private func writeNumpy(_ values: [Double], shape: [Int], to url: URL, descr: String = "<f8") throws {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(\(shape.map(String.init).joined(separator: ", ")))"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data(
            [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(Data(header.utf8))
        for value in values {
            if descr == "<f4" {
                withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { data.append(contentsOf: $0) }
            } else if descr == "<i8" {
                withUnsafeBytes(of: Int64(value).littleEndian) { data.append(contentsOf: $0) }
            } else {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        }
        try data.write(to: url)
    }

    @Test func numpyImportAndErrors() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let theta = root.appendingPathComponent("theta.npy")
        let x = root.appendingPathComponent("x.npy")
        let context = root.appendingPathComponent("g.npy")
        try writeNumpy([0.1, 0.2, -0.3, 0.4, 0.5, 0.6], shape: [3, 2], to: theta)
        try writeNumpy((0..<9).map { Double($0) }, shape: [3, 3], to: x, descr: "<f4")
        try writeNumpy([1, 2, 3], shape: [3], to: context)
        let summary = try DatasetImporter(source: .numpy(theta: theta, x: x, context: context), prior: prior)
            .importDataset(into: root.appendingPathComponent("ok"))
        let rows = try readAllRows(summary.datasetURL)
        #expect(rows.theta == [0.1, 0.2, -0.3, 0.4, 0.5, 0.6].map(Float.init))
        #expect(rows.x == (0..<9).map(Float.init))
        #expect(rows.context == [1, 2, 3])

        let nanX = root.appendingPathComponent("nan.npy")
        try writeNumpy([0, 1, 2, 3, .nan, 5], shape: [3, 2], to: nanX)
        #expect {
            _ = try DatasetImporter(source: .numpy(theta: theta, x: nanX, context: context), prior: prior)
                .importDataset(into: root.appendingPathComponent("nan"))
        } throws: { error in
            invalidInput(error).map { $0.file == nanX.path && $0.location == "row 2 column 0 (x)" } ?? false
        }
        let ints = root.appendingPathComponent("int.npy")
        try writeNumpy([1, 2, 3], shape: [3, 1], to: ints, descr: "<i8")
        #expect {
            _ = try DatasetImporter(source: .numpy(theta: theta, x: ints, context: context), prior: prior)
                .importDataset(into: root.appendingPathComponent("int"))
        } throws: { error in
            invalidInput(error).map { $0.file == ints.path && $0.reason.contains("'<i8'") } ?? false
        }
        let short = root.appendingPathComponent("short.npy")
        try writeNumpy([1, 2, 3, 4], shape: [2, 2], to: short)
        #expect {
            _ = try DatasetImporter(source: .numpy(theta: theta, x: short, context: context), prior: prior)
                .importDataset(into: root.appendingPathComponent("short"))
        } throws: { error in
            invalidInput(error).map { $0.file == short.path && $0.reason.contains("2 rows") } ?? false
        }
    }
}
