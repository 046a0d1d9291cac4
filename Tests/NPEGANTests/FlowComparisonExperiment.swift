import Foundation
import NPEData
import NPEInference
import NPEModels
import NPERegistry
import NPETensor
import Testing
@testable import NPEGAN
import NPESupport

/// Opt-in side-by-side measurement of a published flow and a published ExoGAN on the same noisy test rows
/// (`docs/exogan-vs-flow.md` records a run and its budgets):
///
///     EXOGAN_COMPARE_REGISTRY=reg EXOGAN_COMPARE_FLOW=flow@1 EXOGAN_COMPARE_GAN=gan@1 \
///     EXOGAN_COMPARE_TEST=test/dataset.h5 [EXOGAN_COMPARE_TARGETS=64] [EXOGAN_COMPARE_RESTARTS=32] \
///     [EXOGAN_COMPARE_ITERATIONS=200] [EXOGAN_COMPARE_FLOW_SAMPLES=1000] \
///         swift test -c release -Xswiftc -enable-testing --filter flowAndGANSideBySide
///
/// The first T unflagged rows of the test dataset get one-transit Ariel MCS noise: target t takes σ row t mod 722
/// of the flow's noise table at scale 1 and fixed normal draws, and both methods see the same x̃ and σ (the flow
/// also gets the row's context; the GAN's image has no place for it). Prints one JSON object: per-parameter RMSE
/// of the posterior mean (and of the prior mean), marginal coverage of central intervals for both, HPD coverage
/// for the flow (its log q is exact), and inference seconds per target. Passes when both methods beat the prior's
/// mean RMSE on average, so a broken model cannot pass it.
@Test(.enabled(if: ProcessInfo.processInfo.environment["EXOGAN_COMPARE_REGISTRY"] != nil))
func flowAndGANSideBySide() throws {
    Engine.configure(blasThreads: 1)
    let env = ProcessInfo.processInfo.environment
    let registry = ModelRegistry(root: URL(fileURLWithPath: env["EXOGAN_COMPARE_REGISTRY"]!))
    let flow = try PosteriorModel.load(from: registry, reference: env["EXOGAN_COMPARE_FLOW"] ?? "flow")
    let gan = try ExoGANModel(loaded: registry.load(env["EXOGAN_COMPARE_GAN"] ?? "gan"))
    let reader = try TrainingDatasetReader(contentsOf: URL(fileURLWithPath: env["EXOGAN_COMPARE_TEST"]!))
    let targets = Int(env["EXOGAN_COMPARE_TARGETS"] ?? "") ?? 64
    let flowSamples = Int(env["EXOGAN_COMPARE_FLOW_SAMPLES"] ?? "") ?? 1000
    var inpainting = InpaintingOptions()
    inpainting.restarts = Int(env["EXOGAN_COMPARE_RESTARTS"] ?? "") ?? 32
    inpainting.iterations = Int(env["EXOGAN_COMPARE_ITERATIONS"] ?? "") ?? 200
    let d = flow.parameterNames.count, m = 52, a = flow.contextNames.count
    #expect(reader.metadata.parameterNames == flow.parameterNames)

    // The test rows: the first `targets` rows not flagged as failed simulations, with their noise.
    let rows = try reader.readRows(0..<min(reader.rowCount, targets * 2))
    let sigmaTable = try #require(flow.noise).sigmaRows
    var theta: [Double] = [], x: [Float] = [], sigma: [Float] = [], context: [Float] = []
    for k in 0..<(rows.x.count / m) where (rows.flags?[k] ?? 0) == 0 && theta.count < targets * d {
        let t = theta.count / d
        let s = sigmaTable[t % sigmaTable.count]
        var xs = Array(rows.x[(k * m)..<((k + 1) * m)])
        let noise = try TrainingNoise(sigmaRows: [s], source: "comparison")
        noise.perturb(&xs, sigma: s, row: t, epoch: 0, seed: 12)
        theta += rows.theta[(k * d)..<((k + 1) * d)].map(Double.init)
        x += xs
        sigma += s
        if a > 0 { context += rows.context![(k * a)..<((k + 1) * a)] }
    }
    let count = theta.count / d
    let xT = try Tensor(shape: [count, m], scalars: x), sigmaT = try Tensor(shape: [count, m], scalars: sigma)
    let contextT = a > 0 ? try Tensor(shape: [count, a], scalars: context) : nil

    var start = Date()
    let (flowTheta, flowLogq) = try flow.estimator.sample(given: xT, sigma: sigmaT, context: contextT, count: flowSamples,
                                                          stream: RandomStream(seed: 7))
    let truthLogq = try flow.estimator.logProbability(of: Tensor(shape: [count, d], scalars: theta.map(Float.init)),
                                                      given: xT, sigma: sigmaT, context: contextT)
    let flowSeconds = Date().timeIntervalSince(start) / Double(count)
    start = Date()
    // Depths at or below zero (noise on shallow bins) cannot enter the log-depth strips: floored as npe-infer does.
    let floored = InpaintingSampler(model: gan, parameterNames: flow.parameterNames, options: inpainting).flooredSpectrum(x)
    let ganTheta = try InpaintingRetrieval(model: gan, options: inpainting)
        .samples(spectra: Tensor(shape: [count, m], scalars: floored), sigma: sigmaT)
    let ganSeconds = Date().timeIntervalSince(start) / Double(count)

    let box = zip(gan.encoding.parameterLow, gan.encoding.parameterHigh).map { $0...$1 }
    let levels = [0.5, 0.68, 0.9, 0.95]
    func summary(_ samples: Tensor, _ s: Int) -> (rmse: [Double], marginal: [Double], ranks: [[Double]]) {
        var squared = [Double](repeating: 0, count: d), ranks = [[Double]](repeating: [], count: d)
        for t in 0..<count {
            for j in 0..<d {
                let column = (0..<s).map { Double(samples.scalars[(t * s + $0) * d + j]) }
                let truth = theta[t * d + j]
                squared[j] += pow(column.reduce(0, +) / Double(s) - truth, 2)
                // Rank of the truth among the samples (ties half): the central γ interval holds it iff |r − ½| < γ/2.
                ranks[j].append((Double(column.filter { $0 < truth }.count) + 0.5 * Double(column.filter { $0 == truth }.count)) / Double(s))
            }
        }
        let marginal = levels.map { g in
            ranks.flatMap { $0 }.filter { abs($0 - 0.5) < g / 2 }.count.doubleValue / Double(count * d)
        }
        return (squared.map { ($0 / Double(count)).squareRoot() }, marginal, ranks)
    }
    let flowSummary = summary(flowTheta, flowSamples), ganSummary = summary(ganTheta, inpainting.restarts)
    let priorRMSE = (0..<d).map { j in
        ((0..<count).reduce(0.0) { $0 + pow((box[j].lowerBound + box[j].upperBound) / 2 - theta[$1 * d + j], 2) } / Double(count)).squareRoot()
    }
    let hpdRanks = (0..<count).map { t in
        ExpectedCoverage.hpdRank(logDensityOfTruth: Double(truthLogq.scalars[t]),
                                 logDensityOfSamples: (0..<flowSamples).map { Double(flowLogq.scalars[t * flowSamples + $0]) })
    }
    let hpd = ExpectedCoverage.curve(ranks: hpdRanks, levels: levels).map(\.coverage)
    // ADC2023 score of the GAN's restarts against the flow's samples (not a truth-based score: a self-consistency
    // measure of how alike the two posteriors are, 1000 = identical marginals).
    func sampleRows(_ samples: Tensor, target t: Int, count s: Int) -> [[Double]] {
        (0..<s).map { r -> [Double] in (0..<d).map { j -> Double in Double(samples.scalars[(t * s + r) * d + j]) } }
    }
    var agreementSum = 0.0
    for t in 0..<count {
        agreementSum += PosteriorScore.adc2023(samples: sampleRows(ganTheta, target: t, count: inpainting.restarts),
                                               reference: sampleRows(flowTheta, target: t, count: flowSamples), bounds: box)
    }
    let agreement = agreementSum / Double(count)

    let ganTrainingSeconds = try registry.load(env["EXOGAN_COMPARE_GAN"] ?? "gan").card.metrics["training_seconds"] ?? .nan
    let report: [String: Any] = [
        "targets": count, "parameters": flow.parameterNames, "coverage_levels": levels,
        "prior_rmse": priorRMSE, "flow_rmse": flowSummary.rmse, "gan_rmse": ganSummary.rmse,
        "flow_marginal_coverage": flowSummary.marginal, "flow_hpd_coverage": hpd, "gan_marginal_coverage": ganSummary.marginal,
        "flow_samples": flowSamples, "gan_restarts": inpainting.restarts, "gan_iterations": inpainting.iterations,
        "flow_seconds_per_target": flowSeconds, "gan_seconds_per_target": ganSeconds,
        "adc2023_gan_vs_flow_samples": agreement,
        "flow_training_seconds": flow.card.metrics["training_seconds"] ?? .nan,
        "gan_training_seconds": ganTrainingSeconds,
    ]
    let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
    print(String(decoding: data, as: UTF8.self))
    let flowRatio = zip(flowSummary.rmse, priorRMSE).map { $0 / $1 }.reduce(0, +) / Double(d)
    let ganRatio = zip(ganSummary.rmse, priorRMSE).map { $0 / $1 }.reduce(0, +) / Double(d)
    #expect(flowRatio < 1 && ganRatio < 1, "mean RMSE / prior RMSE: flow \(flowRatio), GAN \(ganRatio)")
}

private extension Int {
    var doubleValue: Double { Double(self) }
}
