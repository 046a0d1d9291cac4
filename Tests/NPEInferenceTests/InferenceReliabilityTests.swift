import Foundation
import NPECSV
import NPEData
import NPERegistry
import Testing
@testable import NPEInference

/// Regression tests for the inference and validation defects of issue 13 (each failed before its fix).
struct InferenceReliabilityTests {
    private func temporaryURL(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npe-rel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name)
    }

    /// Defect 6: with S = 50 and ESS ≈ 1.2 no target was flagged, since ESS/S ≥ 1/S = 0.02 is always above 0.01.
    /// The flag now fires on the ESS too; at large S the efficiency rule still decides.
    @Test func theLowEfficiencyFlagFiresForSmallSampleCounts() {
        let settings = InferenceSettings(samplesPerTarget: 50)
        let reason = InferenceJob.lowEfficiencyReason(ess: 1.2, samples: 50, settings: settings)
        #expect(reason?.contains("ESS = 1.2 < 10") == true, "\(String(describing: reason))")
        #expect(InferenceJob.lowEfficiencyReason(ess: 30, samples: 50, settings: settings) == nil)
        // Large S: 500 effective samples of 100,000 is 0.5 %, flagged by the efficiency rule alone.
        let large = InferenceJob.lowEfficiencyReason(ess: 500, samples: 100_000, settings: settings)
        #expect(large?.contains("ESS/S = 0.005 < 0.01") == true && large?.contains("ESS =") == false)
        #expect(InferenceJob.lowEfficiencyReason(ess: .nan, samples: 50, settings: settings) != nil)
        var strict = settings
        strict.minimumEffectiveSampleSize = 0
        #expect(InferenceJob.lowEfficiencyReason(ess: 1.2, samples: 50, settings: strict) == nil)
    }

    /// Defect 11: a `nan` or text context cell aborted the whole CSV catalogue; that target is now flagged and
    /// the others go on.
    @Test func aBadContextCellFlagsOnlyItsTarget() throws {
        let url = try temporaryURL("c.csv")
        try "id,x_0,x_1,planet_mass,true_r\nA,0.01,0.02,0.7,1.1\nB,0.01,0.02,nan,1.2\nC,0.01,0.02,heavy,?\n"
            .write(to: url, atomically: true, encoding: .utf8)
        let catalogue = try Catalogue(csv: url, contextNames: ["planet_mass"])
        #expect(catalogue.targetCount == 3)
        let invalid = (0..<3).map { t in
            TargetHealth.invalidity(x: Catalogue.row(catalogue.x, t, width: 2), sigma: nil,
                                    context: Catalogue.row(catalogue.context!, t, width: 1))
        }
        #expect(invalid[0] == nil && invalid[1] != nil && invalid[2] != nil, "\(invalid)")
        #expect(catalogue.thetaTrue![0] == 1.1 && catalogue.thetaTrue![2].isNaN)
    }

    /// Defect 12: the CSV catalogue wanted `x_1…` while import and simulate use `x_0…`, and silently dropped
    /// `x_0`. Bins are numbered from 0 everywhere; another numbering is an error listing the columns found.
    @Test func catalogueColumnsFollowTheZeroBasedConvention() throws {
        let good = try temporaryURL("g.csv")
        try "x_0,x_1,x_2\n1,2,3\n".write(to: good, atomically: true, encoding: .utf8)
        #expect(try Catalogue(csv: good, contextNames: []).x == [1, 2, 3])
        let cases: [(String, String)] = [
            ("x_1,x_2,x_3\n1,2,3\n", "rename x_1 … x_3 to x_0 … x_2"),
            ("x_0,x_1,x_3\n1,2,3\n", "missing x_2"),
            ("x_0,x_01\n1,2\n", "'x_01' is not x_<bin number>"),
            ("x_0,x_1,sigma_1,sigma_2\n1,2,1,1\n", "rename sigma_1 … sigma_2 to sigma_0 … sigma_1"),
        ]
        for (text, reason) in cases {
            let url = try temporaryURL("b.csv")
            try text.write(to: url, atomically: true, encoding: .utf8)
            #expect {
                _ = try Catalogue(csv: url, contextNames: [])
            } throws: { error in
                guard case .columns(let file, _, let found, let why)? = error as? CatalogueError else { return false }
                return file == url.path && why.contains(reason) && !found.isEmpty && "\(error)".contains(found[0])
            }
        }
    }

    /// Defect 8: `npe-validate --dataset` on a file whose content digest no longer matches its rows gave rc 0 and
    /// reported the stale digest. It is now verified, as `npe-train` does.
    @Test func validationVerifiesTheDatasetDigest() throws {
        let url = try ValidationTests.writeDataset(rows: 20)
        let update = try HDF5File.openForUpdate(at: url)
        try update.root().openDataset("x").writeRows([Float](repeating: 0.25, count: ValidationTests.m), startingAt: 3)
        try update.commit()
        #expect(throws: TrainingDatasetError.self) {
            _ = try Validation.run(model: ValidationTests.model(), dataset: url, simulator: nil,
                                   options: ValidationOptions(samples: 20, batchRows: 10))
        }
        // A directory is accepted as npe-train accepts it, and one without a dataset is a one-line error.
        let directory = url.deletingLastPathComponent()
        try FileManager.default.moveItem(at: url, to: directory.appendingPathComponent("dataset.h5"))
        #expect(try Validation.datasetFile(directory).lastPathComponent == "dataset.h5")
        #expect(throws: ValidationRunError.self) { _ = try Validation.datasetFile(directory.appendingPathComponent("none")) }
    }

    /// Two `npe-infer` runs on one output: the second is refused while the first is alive, naming it.
    @Test func anOutputHasOneWriter() throws {
        let output = try temporaryURL("post.h5")
        let lock = try InferenceRun.lockOutput(output)
        #expect {
            _ = try InferenceRun.lockOutput(output)
        } throws: { error in "\(error)".contains("in use by a running process") && "\(error)".contains("pid \(getpid())") }
        lock.release(removingFile: true)
        #expect(!FileManager.default.fileExists(atPath: InferenceRun.lockURL(of: output).path))
    }
}
