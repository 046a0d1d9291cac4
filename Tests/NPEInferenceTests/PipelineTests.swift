import Foundation
import NPESimulators
import NPETestSupport
import Testing
@testable import NPEInference

@Suite struct PipelineTests {
    let fixture = PipelineFixture()

    @Test func importanceSamplingIsExactWhenQIsThePosteriorAndFlagsAWrongQ() throws {
        let directory = try makeTemporaryDirectory("is")
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalogue = try fixture.catalogue(count: 3)
        let s = 400
        var settings = InferenceSettings(samplesPerTarget: s, seed: 5, importanceSampling: true, batchTargets: 2, threads: 2)
        settings.lowEfficiencyThreshold = 0.5
        let exact = try InferenceRun.run(try fixture.job(catalogue, settings: settings), output: directory.appendingPathComponent("exact.h5"), resume: false)
        let file = try PosteriorFile.read(from: exact.output)
        for t in 0..<3 {
            // p(x|θ)p(θ)/q(θ|x) = p(x) for every θ: the weights are equal up to float32 rounding of log q (~1e-6).
            #expect(file.effectiveSampleSize![t] > 0.9999 * Double(s))
            let truth = try fixture.problem.logEvidence(x: Array(Catalogue.row(catalogue.x, t, width: 6)))
            #expect(abs(file.logEvidence![t] - truth) < 1e-4)
            #expect(file.flags[t].isEmpty)
        }
        // q twice as wide in 3-D: the population efficiency is (√7/4)³ ≈ 0.29, far below 0.5.
        let wide = GaussianPosteriorSampler(problem: fixture.problem, width: 2)
        let run = try InferenceRun.run(try fixture.job(catalogue, sampler: wide, settings: settings),
                                       output: directory.appendingPathComponent("wide.h5"), resume: false)
        let widened = try PosteriorFile.read(from: run.output)
        for t in 0..<3 {
            #expect(widened.efficiency![t] < 0.45)
            #expect(widened.flags[t] == .lowImportanceEfficiency)
            #expect(widened.flagReasons[t].hasPrefix("low_importance_efficiency: ESS/S = "))
        }
        #expect(run.flagCounts == ["low_importance_efficiency": 3])
        // The weighted mean of the wide samples recovers the exact posterior mean: within 4 of its standard errors
        // (sd/√ESS with ESS ≈ 100).
        let exactPosterior = try fixture.problem.posterior(given: Array(Catalogue.row(catalogue.x, 0, width: 6)))
        for j in 0..<3 {
            let sd = exactPosterior.standardDeviations[j]
            #expect(abs(widened.summary[j * 7] - exactPosterior.mean[j]) < 4 * sd / widened.effectiveSampleSize![0].squareRoot())
        }
    }

    @Test func theFileRoundTripsAndTheSummaryMatchesTheSamples() throws {
        let directory = try makeTemporaryDirectory("roundtrip")
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalogue = try fixture.catalogue(count: 4)
        let settings = InferenceSettings(samplesPerTarget: 300, seed: 9, importanceSampling: true, batchTargets: 3, threads: 1)
        let run = try InferenceRun.run(try fixture.job(catalogue, settings: settings), output: directory.appendingPathComponent("post.h5"), resume: false)
        let file = try PosteriorFile.read(from: run.output)
        #expect(file.targetCount == 4 && file.samplesPerTarget == 300 && file.parameterNames == ["theta_1", "theta_2", "theta_3"])
        #expect(file.samples.count == 4 * 300 * 3 && file.logProposal.count == 4 * 300 && file.logWeights?.count == 4 * 300)
        #expect(file.thetaTrue == catalogue.thetaTrue && file.ids == catalogue.ids)
        #expect(file.modelReference == "lg@1" && file.catalogueSHA256 == "cafe" && file.seed == 9 && file.importanceSampling)
        for t in 0..<4 {
            let logWeights = (0..<300).map { Double(file.logWeights![t * 300 + $0]) }
            // Normalised: Σ exp(log w) = 1 up to float32 rounding of each log weight.
            #expect(abs(logWeights.reduce(0) { $0 + exp($1) } - 1) < 1e-5)
            let column = (0..<300).map { Double(file.samples[(t * 300 + $0) * 3 + 1]) }
            let expected = PosteriorSummary(samples: column, weights: logWeights.map(exp))
            // The file's summary used the Double weights; float32 log weights shift the mean by < 1e-6 relative.
            #expect(abs(file.summary[(t * 3 + 1) * 7] - expected.mean) < 1e-5)
            #expect(file.summary[(t * 3 + 1) * 7 + 2] == expected.median)
        }
        let csv = try String(contentsOf: run.summaryCSV, encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 1 + 4 * 3)
        #expect(csv[0] == "target,id,parameter,unit,mean,std,median,p2.5,p16,p84,p97.5,truth,weighting,ess,efficiency,ppc_p_value,flags")
        #expect(csv[1].hasPrefix("0,T0,theta_1,,") && csv[1].hasSuffix(",,ok") && csv[1].contains(",importance_weighted,"))
        #expect(!FileManager.default.fileExists(atPath: run.output.path + ".parts"))
    }

    @Test func aResumedRunWritesTheSameDatasetsAsAnUninterruptedOne() throws {
        let directory = try makeTemporaryDirectory("resume")
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalogue = try fixture.catalogue(count: 7)
        let settings = InferenceSettings(samplesPerTarget: 50, seed: 3, importanceSampling: true, batchTargets: 7, threads: 2)
        let reference = try InferenceRun.run(try fixture.job(catalogue, settings: settings),
                                             output: directory.appendingPathComponent("whole.h5"), resume: false)
        // A crash after 5 targets with batches of 2: shards 0..<2 and 2..<4 are on disk, target 4's batch is lost.
        var interrupted = settings
        interrupted.batchTargets = 2
        interrupted.threads = 1
        let output = directory.appendingPathComponent("resumed.h5")
        let crashing = GaussianPosteriorSampler(problem: fixture.problem, failAfterCalls: 5)
        #expect(throws: SimulatedCrash.self) {
            try InferenceRun.run(try fixture.job(catalogue, sampler: crashing, settings: interrupted), output: output, resume: false)
        }
        let parts = URL(fileURLWithPath: output.path + ".parts")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parts.path).sorted()
                == ["run.json", "targets-00000000-00000002.h5", "targets-00000002-00000004.h5"])
        // A writer killed mid-shard leaves a temporary file; the resume removes it.
        _ = FileManager.default.createFile(atPath: parts.appendingPathComponent(".targets-00000004-00000006.h5.1f.partial").path, contents: Data([1, 2]))
        // Without --resume the leftovers are refused; with other settings too.
        #expect(throws: InferenceError.self) {
            try InferenceRun.run(try fixture.job(catalogue, settings: interrupted), output: output, resume: false)
        }
        var otherSeed = interrupted
        otherSeed.seed = 4
        #expect {
            try InferenceRun.run(try fixture.job(catalogue, settings: otherSeed), output: output, resume: true)
        } throws: { error in
            if case .resumeMismatch = error as? InferenceError { return true }
            return false
        }
        var resumedSettings = interrupted
        resumedSettings.batchTargets = 3
        let resumed = try InferenceRun.run(try fixture.job(catalogue, settings: resumedSettings), output: output, resume: true)
        #expect(resumed.resumedTargets == 4 && resumed.sampledTargets == 3)
        #expect(sameDatasets(try PosteriorFile.read(from: reference.output), try PosteriorFile.read(from: resumed.output)))
        #expect(try String(contentsOf: reference.summaryCSV, encoding: .utf8) == String(contentsOf: resumed.summaryCSV, encoding: .utf8))
        // Resuming a finished run checks it and changes nothing.
        let again = try InferenceRun.run(try fixture.job(catalogue, settings: resumedSettings), output: output, resume: true)
        #expect(again.resumedTargets == 7 && again.sampledTargets == 0)
    }

    @Test func badTargetsAreFlaggedAndTheOthersFinish() throws {
        let directory = try makeTemporaryDirectory("flags")
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalogue = try fixture.catalogue(count: 5) { x, sigma in
            x[1 * 6 + 2] = .infinity  // (NaN would mark a missing bin: MaskedTargetTests)
            sigma[2 * 6 + 4] = 0
            x[3 * 6 + 0] = 40  // prior-predictive sd of bin 0 is about 1.7: |z| ≈ 23
        }
        let settings = InferenceSettings(samplesPerTarget: 100, seed: 1, importanceSampling: true, batchTargets: 2, threads: 2)
        let run = try InferenceRun.run(try fixture.job(catalogue, settings: settings), output: directory.appendingPathComponent("p.h5"), resume: false)
        let file = try PosteriorFile.read(from: run.output)
        #expect(file.flags[0].isEmpty && file.flags[4].isEmpty)
        #expect(file.flags[1] == .invalidInput && file.flagReasons[1] == "invalid_input: x[2] is inf")
        #expect(file.flags[2] == .invalidInput && file.flagReasons[2] == "invalid_input: sigma[4] is 0.0 (must be finite and > 0)")
        #expect(file.flags[3].contains(.outOfTrainingRange) && file.flagReasons[3].contains("at bin 0"))
        // Skipped targets hold NaN; the flagged-but-valid one was sampled.
        let skipped = file.samples[(1 * 100) * 3 ..< (2 * 100) * 3].allSatisfy { $0.isNaN }
        let sampled = file.samples[(3 * 100) * 3 ..< (5 * 100) * 3].allSatisfy { $0.isFinite }
        #expect(skipped && sampled)
        #expect(run.flaggedTargets >= 3 && run.flagCounts["invalid_input"] == 2)
        let csv = try String(contentsOf: run.summaryCSV, encoding: .utf8)
        #expect(csv.contains(",T1,theta_1,,nan,nan,"))
    }

    @Test func outputIsIndependentOfBatchesAndThreads() throws {
        let directory = try makeTemporaryDirectory("batches")
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalogue = try fixture.catalogue(count: 3)
        let a = InferenceSettings(samplesPerTarget: 64, seed: 11, importanceSampling: false, batchTargets: 1, threads: 1)
        let b = InferenceSettings(samplesPerTarget: 64, seed: 11, importanceSampling: false, batchTargets: 3, threads: 2)
        let one = try InferenceRun.run(try fixture.job(catalogue, settings: a), output: directory.appendingPathComponent("a.h5"), resume: false)
        let two = try InferenceRun.run(try fixture.job(catalogue, settings: b), output: directory.appendingPathComponent("b.h5"), resume: false)
        let first = try PosteriorFile.read(from: one.output), second = try PosteriorFile.read(from: two.output)
        #expect(sameDatasets(first, second))
        #expect(first.logWeights == nil && first.effectiveSampleSize == nil && !first.importanceSampling)
    }
}

@Suite struct CompatibilityTests {
    let fixture = PipelineFixture()

    func reason(_ body: () throws -> Void) -> String? {
        do { try body() } catch let InferenceError.incompatible(_, _, reason) { return reason } catch { return "\(error)" }
        return nil
    }

    @Test func mismatchesAreClearErrorsBeforeAnyWork() throws {
        let catalogue = try fixture.catalogue(count: 2)
        var requirements = fixture.requirements
        requirements.binCount = 5
        #expect(reason { _ = try requirements.check(catalogue, needsSigma: false) } == "the catalogue has 6 bins per spectrum, the model reads 5")
        requirements = fixture.requirements
        requirements.wavelengths![3] = 4.1
        #expect(reason { _ = try requirements.check(catalogue, needsSigma: false) } == "wavelength grid differs at bin 3: catalogue 4.0 µm, model 4.1 µm")
        requirements = fixture.requirements
        requirements.contextNames = ["planet_mass"]
        #expect(reason { _ = try requirements.check(catalogue, needsSigma: false) }?.hasPrefix("context input 'planet_mass' is missing") == true)
        requirements = fixture.requirements
        requirements.parameterNames = ["theta_1", "theta_2", "theta_9"]
        #expect(reason { _ = try requirements.check(catalogue, needsSigma: false) }?.hasPrefix("theta_true has parameters") == true)
        var noSigma = catalogue
        noSigma.sigma = nil
        #expect(reason { _ = try fixture.requirements.check(noSigma, needsSigma: true) }?.contains("no sigma") == true)
        requirements = fixture.requirements
        requirements.defaultSigma = [Double](repeating: 0.1, count: 6)
        #expect(reason { _ = try requirements.check(noSigma, needsSigma: true) } == nil)
    }

    @Test func contextColumnsAndTruthsAreReorderedToTheModel() throws {
        let catalogue = try Catalogue(source: "m", ids: ["a", "b"], wavelengths: nil, x: [1, 2, 3, 4], sigma: nil,
                                      contextNames: ["star_radius", "planet_mass"], context: [1, 2, 3, 4],
                                      thetaNames: ["q", "p"], thetaTrue: [5, 6, 7, 8])
        let requirements = ModelRequirements(reference: "m@1", kind: "k", weightsSHA256: "", parameterNames: ["p", "q"],
                                             parameterUnits: ["", ""], wavelengths: nil, binCount: 2,
                                             contextNames: ["planet_mass", "star_radius"], defaultSigma: nil)
        let checked = try requirements.check(catalogue, needsSigma: false)
        #expect(checked.context == [2, 1, 4, 3] && checked.contextNames == ["planet_mass", "star_radius"])
        #expect(checked.thetaTrue == [6, 5, 8, 7] && checked.thetaNames == ["p", "q"])
    }
}

@Test func screeningChecksContextAgainstThePriorSupportAndXAgainstTheTrainingSpread() throws {
    let prior = try Prior(parameters: [
        PriorParameter(name: "radius", distribution: .uniform(low: 0.5, high: 2)),
        PriorParameter(name: "planet_mass", isContext: true, distribution: .logUniform(low: 0.1, high: 10)),
    ])
    let screening = TargetScreening(xMean: [0, 0], xStandardDeviation: [1, 2], contextPrior: prior)
    #expect(screening.screen(x: [1, -9], sigma: [1, 1], context: [1]).flags.isEmpty)  // |z| = 4.5 ≤ 5
    let far = screening.screen(x: [1, -11], sigma: [1, 1], context: [1])
    #expect(far.flags == .outOfTrainingRange && far.reasons == ["out_of_training_range: |z| = 5.5 at bin 1 (threshold 5)"])
    let outside = screening.screen(x: [0, 0], sigma: [1, 1], context: [20])
    #expect(outside.flags == .invalidInput && outside.reasons[0].hasPrefix("invalid_input: context[0] planet_mass = 20.0 is outside its prior support"))
}

@Test func aStoppedRunKeepsItsBatchesAndResumes() throws {
    let fixture = PipelineFixture()
    let directory = try makeTemporaryDirectory("stop")
    defer { try? FileManager.default.removeItem(at: directory) }
    let catalogue = try fixture.catalogue(count: 5)
    let settings = InferenceSettings(samplesPerTarget: 40, seed: 8, importanceSampling: false, batchTargets: 2, threads: 1)
    let output = directory.appendingPathComponent("p.h5")
    #expect(throws: InferenceError.stopped(directory: output.path + ".parts", completedTargets: 2, totalTargets: 5)) {
        try InferenceRun.run(try fixture.job(catalogue, settings: settings), output: output, resume: false, shouldStop: { true })
    }
    let resumed = try InferenceRun.run(try fixture.job(catalogue, settings: settings), output: output, resume: true)
    #expect(resumed.resumedTargets == 2 && resumed.targetCount == 5)
}
