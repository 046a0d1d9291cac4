import Foundation
import NPETestSupport
import Testing
@testable import NPEInference

/// `npe-infer`'s posterior predictive check from the command line, with the trained linear-Gaussian model of
/// `CommandLineTests` (whose card records its simulator, so the check is on by default).
@Suite(.serialized) struct PredictiveCommandLineTests {
    @Test func theCheckIsOnByDefaultAndCanBeTurnedOffOrTuned() throws {
        let fixture = try TrainedFixture.shared.get()
        let catalogue = try fixture.writeCatalogue("ppc-catalogue.h5", count: 3)
        let out = fixture.directory.appendingPathComponent("ppc-default.h5")
        let result = try fixture.infer(["--model", "lg@1", "--catalogue", catalogue.path, "--samples", "300", "--out", out.path, "--threads", "2"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("predictive check") && result.output.contains("100 draws per target"))
        let file = try PosteriorFile.read(from: out, includingSamples: false)
        let predictive = try #require(file.predictive)
        #expect(predictive.draws == 100 && file.predictiveReplicates == 50 && file.misfitThreshold == 0.001)
        #expect(file.predictiveDrawWeighting == "proposal" && predictive.pValue.allSatisfy { (0...1).contains($0) })

        let off = fixture.directory.appendingPathComponent("ppc-off.h5")
        let quiet = try fixture.infer(["--model", "lg@1", "--catalogue", catalogue.path, "--samples", "50", "--out", off.path,
                                       "--predictive-draws", "0"])
        #expect(quiet.status == 0, "\(quiet.errors)")
        #expect(try PosteriorFile.read(from: off, includingSamples: false).predictive == nil && !quiet.output.contains("predictive check"))

        // A threshold above every p flags every target, with its reason; more draws than samples is refused.
        let strict = fixture.directory.appendingPathComponent("ppc-strict.h5")
        let flagged = try fixture.infer(["--model", "lg@1", "--catalogue", catalogue.path, "--samples", "300", "--out", strict.path,
                                         "--importance-sampling", "--predictive-draws", "500", "--predictive-replicates", "5",
                                         "--misfit-p-value", "0.999999"])
        #expect(flagged.status == 0, "\(flagged.errors)")
        let strictFile = try PosteriorFile.read(from: strict, includingSamples: false)
        #expect(strictFile.predictive?.draws == 500 && strictFile.predictiveDrawWeighting == "importance_resampled")
        #expect(strictFile.flags.allSatisfy { $0.contains(.modelMisfit) } && strictFile.flagReasons.allSatisfy { $0.contains("model_misfit: ") })
        let refused = try fixture.infer(["--model", "lg@1", "--catalogue", catalogue.path, "--samples", "20", "--out",
                                         fixture.directory.appendingPathComponent("ppc-refused.h5").path, "--predictive-draws", "21"])
        #expect(refused.status == 1 && refused.errors.contains("predictive-draws") && refused.errors.contains("at most --samples"), "\(refused.errors)")
    }
}
