import Foundation
import NPEData
import NPESimulators
import Testing

@testable import NPEDatasets

struct DatasetBuilderTests {
    private func build(
        _ simulator: any Simulator, prior: Prior, rows: Int, seed: UInt64 = 7, shardRows: Int,
        into directory: URL, options: DatasetBuildOptions
    ) throws -> DatasetBuildSummary {
        let builder = try DatasetBuilder(
            source: prior, simulator: simulator, noiseModel: .none, rows: rows, seed: seed,
            directory: directory, shardRows: shardRows)
        return try #require(try builder.run(options: options))
    }

    @Test func oneThreadAndThreeThreadsGiveTheSameRows() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let problem = LinearGaussianProblem.standard()
        let one = try build(
            problem, prior: problem.prior, rows: 1000, shardRows: 96,
            into: root.appendingPathComponent("one"), options: .init(threads: 1))
        let three = try build(
            problem, prior: problem.prior, rows: 1000, shardRows: 96,
            into: root.appendingPathComponent("three"), options: .init(threads: 3))
        #expect(one.contentDigest == three.contentDigest)
        #expect(try readAllRows(one.datasetURL) == readAllRows(three.datasetURL))
        // The shards are gone after a successful merge, and the dataset verifies.
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("one/shards").path))
        try TrainingDatasetReader(contentsOf: one.datasetURL).verifyContentDigest()
        // Another seed gives other rows.
        let other = try build(
            problem, prior: problem.prior, rows: 1000, seed: 8, shardRows: 96,
            into: root.appendingPathComponent("other"), options: .init(threads: 2))
        #expect(other.contentDigest != one.contentDigest)
    }

    @Test func rowsFollowThePriorAndTheSimulator() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let problem = LinearGaussianProblem.standard()
        let summary = try build(
            problem, prior: problem.prior, rows: 300, shardRows: 64, into: root, options: .init(threads: 2))
        let rows = try readAllRows(summary.datasetURL)
        for row in [0, 131, 299] {
            let theta = rows.theta[row * 5..<(row + 1) * 5].map(Double.init)
            let expected = try problem.simulate(theta)
            // x is computed in Double from the Double draw, then stored as Float32, while this check starts from the
            // Float32-rounded theta: the difference is a few Float32 ulps of |A θ| ≲ 10, so 1e-5 is ample.
            for (stored, exact) in zip(rows.x[row * 10..<(row + 1) * 10], expected) {
                #expect(abs(Double(stored) - exact) < 1e-5)
            }
        }
        let reader = try TrainingDatasetReader(contentsOf: summary.datasetURL)
        #expect(reader.metadata.parameterNames == problem.inputNames)
        #expect(reader.metadata.simulatorName == "linear-gaussian")
        #expect(reader.metadata.seed == 7)
        // The merged file has ~1 MiB chunks whatever the shard size (2^20 / (4 · 10) rows for M = 10).
        #expect(reader.chunkRowCount == 26214)
    }

    @Test func failedSimulationsAreFlaggedCountedAndKept() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let summary = try build(
            FlakySimulator(), prior: FlakySimulator.prior, rows: 2000, shardRows: 300, into: root,
            options: .init(threads: 2))
        let rows = try readAllRows(summary.datasetURL)
        let flags = try #require(rows.flags)
        var expectedFailures = 0
        for row in 0..<2000 {
            let a = rows.theta[row * 2]
            let b = rows.theta[row * 2 + 1]
            // Float32 storage can move a draw across a threshold only within one ulp (6e-8) of it.
            let shouldFail = a < -0.9 || a > 0.8 || b > 0.9
            if shouldFail { expectedFailures += 1 }
            #expect((flags[row] == 1) == shouldFail, "row \(row): a = \(a), b = \(b)")
            let x = rows.x[row * 3..<row * 3 + 3]
            #expect(x.allSatisfy(\.isFinite) == !shouldFail)
        }
        #expect(summary.failedRows == expectedFailures)
        #expect(expectedFailures > 200 && expectedFailures < 500)  // ≈ 20 % of 2000
        #expect(summary.firstFailedRow == flags.firstIndex(of: 1))
        #expect(summary.firstError?.contains("below -0.9 on purpose") == true)
        #expect(rows.context?.count == 2000)
    }

    @Test func existingOutputIsRefusedWithoutResume() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let problem = LinearGaussianProblem.standard()
        let summary = try build(
            problem, prior: problem.prior, rows: 50, shardRows: 20, into: root, options: .init(threads: 1))
        let before = try Data(contentsOf: summary.datasetURL)
        #expect(throws: DatasetBuildError.outputExists(path: root.standardizedFileURL.path)) {
            _ = try build(
                problem, prior: problem.prior, rows: 50, shardRows: 20, into: root, options: .init(threads: 1))
        }
        #expect(try Data(contentsOf: summary.datasetURL) == before)
        // Resuming a finished build changes nothing and reports the same digest.
        let again = try build(
            problem, prior: problem.prior, rows: 50, shardRows: 20, into: root,
            options: .init(threads: 1, resume: true))
        #expect(again.contentDigest == summary.contentDigest)
        #expect(again.shardsComputed == 0)
        #expect(try Data(contentsOf: summary.datasetURL) == before)
    }

    @Test func resumeWithNothingToResumeIsAnError() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let problem = LinearGaussianProblem.standard()
        #expect(throws: DatasetBuildError.nothingToResume(path: root.standardizedFileURL.path)) {
            _ = try build(
                problem, prior: problem.prior, rows: 50, shardRows: 20, into: root,
                options: .init(threads: 1, resume: true))
        }
    }

    @Test func aPriorMissingASimulatorInputIsNamed() throws {
        let prior = try Prior(yaml: "parameters:\n  - {name: a, prior: {uniform: [0, 1]}}\n", source: "short.yaml")
        #expect {
            _ = try DatasetBuilder(
                source: prior, simulator: FlakySimulator(), noiseModel: .none, rows: 10, seed: 1,
                directory: URL(fileURLWithPath: "/tmp/unused"))
        } throws: { error in
            "\(error)".contains("short.yaml") && "\(error)".contains("b")
        }
    }
}
