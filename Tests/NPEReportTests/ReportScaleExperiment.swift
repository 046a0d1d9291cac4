import Foundation
import NPESimulators
import NPETensor
import NPESupport
import Testing
@testable import NPEInference

/// Not a test: writes a survey-sized posterior file to time `npe-report` on (docs/report.md's measurement). A
/// linear-Gaussian model with the Ariel shapes (D = 7, M = 52), S = 2000 samples, importance sampling and the
/// predictive check. Run with
///
///     EXONPE_REPORT_SCALE_OUT=/tmp/scale.h5 EXONPE_REPORT_SCALE_TARGETS=1000 swift test … --filter ReportScale
@Test(.enabled(if: ProcessInfo.processInfo.environment["EXONPE_REPORT_SCALE_OUT"] != nil))
func reportScaleExperiment() throws {
    let environment = ProcessInfo.processInfo.environment
    let count = Int(environment["EXONPE_REPORT_SCALE_TARGETS"] ?? "") ?? 1000
    let problem = LinearGaussianProblem.standard(thetaCount: 7, outputCount: 52)
    let stream = RandomStream(seed: 99)
    var x: [Double] = []
    for t in 0..<count {
        let draws = stream.child(UInt64(t))
        let mu = try problem.simulate((0..<7).map { draws.normalDouble(UInt64($0)) })
        // One target in ten carries a feature the model lacks (10σ at its peak; seven parameters absorb a weaker one), so the report has flagged targets to show.
        let bump = t % 10 == 3 ? 1.0 : 0
        x += (0..<52).map { b in mu[b] + 0.1 * draws.normalDouble(UInt64(7 + b)) + bump * exp(-0.5 * pow((Double(b) - 30) / 2, 2)) }
    }
    let catalogue = try Catalogue(source: "scale", ids: (0..<count).map { "target-\($0)" }, wavelengths: (0..<52).map { 0.5 + 0.14 * Double($0) },
                                  x: x, sigma: [Double](repeating: 0.1, count: count * 52), contextNames: [], context: nil,
                                  thetaNames: [], thetaTrue: nil)
    let requirements = ModelRequirements(reference: "scale@1", kind: "npe-flow", weightsSHA256: String(repeating: "00", count: 32),
                                         parameterNames: problem.inputNames, parameterUnits: [String](repeating: "", count: 7),
                                         wavelengths: nil, binCount: 52, contextNames: [], defaultSigma: nil)
    let likelihood = try SimulatorLikelihood(simulator: problem, prior: problem.prior, thetaNames: problem.inputNames,
                                             contextNames: [], model: "scale@1")
    let screening = TargetScreening(xMean: [Double](repeating: 0, count: 52), xStandardDeviation: [Double](repeating: 100, count: 52),
                                    contextPrior: nil)
    let settings = InferenceSettings(samplesPerTarget: 2000, seed: 1, importanceSampling: true, threads: 2, predictiveDraws: 100)
    let job = try InferenceJob(catalogue: catalogue, catalogueSHA256: String(repeating: "00", count: 32), model: requirements,
                               sampler: ReportFixture.Sampler(problem: problem), samplerReadsSigma: false, likelihood: likelihood,
                               screening: screening, settings: settings)
    let summary = try InferenceRun.run(job, output: URL(fileURLWithPath: environment["EXONPE_REPORT_SCALE_OUT"]!), resume: false)
    print("wrote \(summary.output.path): \(summary.targetCount) targets in \(summary.seconds) s (predictive check \(summary.predictiveSeconds) s)")
}
