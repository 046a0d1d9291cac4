import Foundation
import NPEData
import NPESimulators
import NPETestSupport
import Testing

@testable import NPEDatasets

/// Regression tests for the dataset tools' defects of issue 13 (each failed before its fix).
struct ReliabilityRegressionTests {
    private let prior = FlakySimulator.prior  // theta a, b ∈ (−1, 1); context g ∈ [1, 10]

    private func invalidInput(_ error: any Error) -> (file: String, location: String, reason: String)? {
        guard case .invalidInput(let file, let location, let reason) = error as? DatasetBuildError else { return nil }
        return (file, location, reason)
    }

    /// Defect 1: a CSV with a header and no data rows (or only a comment) trapped in `NumericCSV.location` while
    /// the "no rows" error was being built (SIGILL). Now it is that error, naming the input file.
    @Test(arguments: ["a,b,g,x_0,x_1\n", "a,b,g,x_0,x_1\n# only a comment\n", "a,b,g,x_0\n\n\n"])
    func aHeaderOnlyCSVIsAnErrorNotATrap(text: String) throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("header_only.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        #expect {
            _ = try DatasetImporter(source: .csv(url), prior: prior).importDataset(into: root.appendingPathComponent("o"))
        } throws: { error in
            invalidInput(error).map { $0.file == url.path && $0.reason.contains("no data rows") } ?? false
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("o").path))
    }

    /// The location helper behind that trap answers for rows and columns a table does not have.
    @Test func csvLocationsNeverTrap() throws {
        let table = try NumericCSV(text: "a,b\n", file: "t.csv")
        #expect(table.location(row: 0, column: 0) == "row 0 (the file has 0 data rows), column 'a'")
        #expect(table.location(row: 0, column: 7) == "row 0 (the file has 0 data rows), column 7")
    }

    /// Defect 7: a build killed during the merge leaves `.dataset.h5.<hex>.partial` beside the dataset; resume
    /// must delete it (it can never be completed), not keep it for good.
    @Test func resumeRemovesATornMergeFile() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let problem = LinearGaussianProblem.standard()
        func builder() throws -> DatasetBuilder {
            try DatasetBuilder(source: problem.prior, simulator: problem, noiseModel: problem.noiseModel, rows: 300,
                               seed: 3, directory: root, shardRows: 100)
        }
        let counter = Counter()
        #expect(throws: DatasetBuildError.self) {
            try builder().run(options: .init(threads: 1, shouldContinue: { counter.next() < 2 }))
        }
        // What HDF5File leaves when the process dies inside the merge: its temporary sibling of dataset.h5.
        let torn = root.appendingPathComponent(".dataset.h5.9f3c2a7d11e0b4c5.partial")
        try Data(repeating: 0x5A, count: 4096).write(to: torn)
        _ = try #require(try builder().run(options: .init(threads: 1, resume: true)))
        #expect(!FileManager.default.fileExists(atPath: torn.path))
        let left = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".partial") }
        #expect(left.isEmpty, "\(left)")
    }

    /// Defect 9: `simulate --out` replaced any existing file, even its own `--params`. Now an existing output
    /// needs `replacingExisting` (`--overwrite`), and the params file can never be the output.
    @Test func simulateRefusesToOverwrite() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let params = root.appendingPathComponent("p.csv")
        try "a,b\n0.1,0.2\n".write(to: params, atomically: true, encoding: .utf8)
        let out = root.appendingPathComponent("s.csv")
        try "precious\n".write(to: out, atomically: true, encoding: .utf8)
        let run = ParameterTableSimulation(simulator: FlakySimulator())
        #expect {
            _ = try run.run(parameters: params, output: out)
        } throws: { error in
            guard case .invalidArgument("out", let reason) = error as? DatasetBuildError else { return false }
            return reason.contains("--overwrite")
        }
        #expect(try String(contentsOf: out, encoding: .utf8) == "precious\n")
        for replacing in [false, true] {
            #expect(throws: DatasetBuildError.self) {
                _ = try run.run(parameters: params, output: params, replacingExisting: replacing)
            }
        }
        #expect(try String(contentsOf: params, encoding: .utf8) == "a,b\n0.1,0.2\n")
        _ = try run.run(parameters: params, output: out, replacingExisting: true)
        #expect(try String(contentsOf: out, encoding: .utf8).hasPrefix("a,b,x_0,x_1,x_2\n"))
    }

    /// Import errors for the grid name the file given by the user, and a missing `--context` is named as such.
    @Test func numpyContextMismatchNamesTheMissingOption() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        func npy(_ name: String, rows: Int, columns: Int) throws -> URL {
            var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
            while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
            header += "\n"
            var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
            data.append(contentsOf: Array(header.utf8))
            for _ in 0..<(rows * columns) { withUnsafeBytes(of: (0.5).bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            let url = root.appendingPathComponent(name)
            try data.write(to: url)
            return url
        }
        let theta = try npy("t.npy", rows: 3, columns: 2), x = try npy("x.npy", rows: 3, columns: 4)
        #expect {
            _ = try DatasetImporter(source: .numpy(theta: theta, x: x, context: nil), prior: prior)
                .importDataset(into: root.appendingPathComponent("o"))
        } throws: { error in
            invalidInput(error).map { $0.file == "--context (not given)" && $0.reason.contains("context inputs") } ?? false
        }
    }
}
