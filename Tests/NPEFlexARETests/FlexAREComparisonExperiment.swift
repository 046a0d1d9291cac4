import Foundation
import NPEData
import NPEFlexARE
import NPEInference
import NPEModelKinds
import NPEModels
import NPERegistry
import NPESupport
import NPETensor
import NPETraining
import Testing

/// Opt-in measurement behind `docs/flexare-vs-npe.md`: the FlexARE pipeline (imputer → denoiser → flow trained
/// on clean spectra), the noise-conditioned flow and the mask-aware flow on the same noisy held-out ARIEL rows,
/// complete and with one instrument segment masked, and the pre-processors' reconstruction accuracy.
///
///     FLEXARE_COMPARE_REGISTRY=reg FLEXARE_COMPARE_TEST=test/dataset.h5 [FLEXARE_COMPARE_TARGETS=1000] \
///     [FLEXARE_COMPARE_SAMPLES=500] [FLEXARE_COMPARE_IS_TARGETS=40] [FLEXARE_COMPARE_SEGMENT=AIRS-CH1] \
///         swift test -c release -Xswiftc -enable-testing --skip-build --filter flexareSideBySide
///
/// Models (registry references): `den`, `imp`, `clean` (flow, noise: none), `noisy` (flow with σ input), `masked`
/// (mask-aware flow). Row t of the first T unflagged test rows gets Ariel MCS noise for `TRANSITS` transits (default
/// 10, as the models were trained; σ row t mod 722,
/// draws keyed on (12, t)); the masked variant drops the segment's bins. Per method it prints JSON: per-parameter
/// RMSE of the posterior mean, marginal coverage of central intervals and HPD expected coverage (from log q),
/// importance-sampling efficiency ESS/S against the simulator's exact likelihood of the *observed* bins (first
/// `IS_TARGETS` targets), and seconds per target. Passes when every method beats the prior mean's RMSE on average.
@Test(.enabled(if: ProcessInfo.processInfo.environment["FLEXARE_COMPARE_REGISTRY"] != nil))
func flexareSideBySide() throws {
    Engine.configure(blasThreads: 1)
    let env = ProcessInfo.processInfo.environment
    let registry = ModelRegistry(root: URL(fileURLWithPath: env["FLEXARE_COMPARE_REGISTRY"]!))
    let clean = try PosteriorModel.load(from: registry, reference: "clean")
    let noisy = try PosteriorModel.load(from: registry, reference: "noisy")
    let masked = try PosteriorModel.load(from: registry, reference: "masked")
    let chainFull = try ModelKinds.preprocessing("denoiser@den", registry: registry)
    let chainMasked = try ModelKinds.preprocessing("imputer@imp,denoiser@den", registry: registry)
    let imputerOnly = try ModelKinds.preprocessing("imputer@imp", registry: registry)
    let reader = try TrainingDatasetReader(contentsOf: URL(fileURLWithPath: env["FLEXARE_COMPARE_TEST"]!))
    let targets = Int(env["FLEXARE_COMPARE_TARGETS"] ?? "") ?? 1000
    let samples = Int(env["FLEXARE_COMPARE_SAMPLES"] ?? "") ?? 500
    let isTargets = Int(env["FLEXARE_COMPARE_IS_TARGETS"] ?? "") ?? 40
    let d = clean.parameterNames.count, m = 52, a = clean.contextNames.count
    let segmentName = env["FLEXARE_COMPARE_SEGMENT"] ?? "AIRS-CH1"
    let segment = try #require(InstrumentSegment.segments(of: InstrumentSegment.arielCoverage, centres: reader.metadata.wavelength)?
        .first { $0.name == segmentName }, "no segment \(segmentName)")

    // Test rows with noise.
    let rows = try reader.readRows(0..<min(reader.rowCount, targets * 2))
    let transits = Int(env["FLEXARE_COMPARE_TRANSITS"] ?? "") ?? 10
    let table = try TrainingNoise.arielMCS(transits: transits).sigmaRows
    var theta: [Double] = [], truthX: [Float] = [], x: [Float] = [], sigma: [Float] = [], context: [Float] = []
    for k in 0..<(rows.x.count / m) where (rows.flags?[k] ?? 0) == 0 && theta.count < targets * d {
        let t = theta.count / d
        let s = table[t % table.count]
        var xs = Array(rows.x[(k * m)..<((k + 1) * m)])
        truthX += xs
        try TrainingNoise(sigmaRows: [s], source: "comparison").perturb(&xs, sigma: s, row: t, epoch: 0, seed: 12)
        theta += rows.theta[(k * d)..<((k + 1) * d)].map(Double.init)
        x += xs
        sigma += s
        if a > 0 { context += rows.context![(k * a)..<((k + 1) * a)] }
    }
    let count = theta.count / d
    let maskedX = x.indices.map { segment.bins.contains($0 % m) ? Float.nan : x[$0] }

    // Reconstruction accuracy of the pre-processors (FlexARE's formula 2 on the envelope scale, docs/flexare.md).
    let scaling = chainFull.steps[0].model.architecture.scaling
    func accuracy(_ reconstruct: ([Float]) throws -> [Float], input: [Float], bins: ((Int, Int) -> Bool)? = nil) throws -> [String: Double] {
        var score = ReconstructionAccuracy(scaling: scaling)
        for t in 0..<count {
            let out = try reconstruct(Array(input[(t * m)..<((t + 1) * m)]))
            score.add(reconstruction: out, truth: Array(truthX[(t * m)..<((t + 1) * m)]), bins: bins)
        }
        return ["accuracy": score.accuracy, "rmse": score.rmse, "rmse_ppm": score.rmsePPM, "spectra": Double(count)]
    }
    let inSegment: (Int, Int) -> Bool = { segment.bins.contains($1) }
    let reconstruction: [String: Any] = [
        "noisy_input_as_is": try accuracy({ $0 }, input: x),
        "denoiser": try accuracy(chainFull.apply, input: x),
        "imputer_segment_bins": try accuracy(imputerOnly.apply, input: maskedX, bins: inSegment),
        "imputer_all_bins": try accuracy(imputerOnly.apply, input: maskedX),
        "mean_fill_segment_bins": try accuracy({ v in v.indices.map { v[$0].isNaN ? scaling.mean[$0] : v[$0] } }, input: maskedX, bins: inSegment),
        "imputer_then_denoiser": try accuracy(chainMasked.apply, input: maskedX),
    ]

    let likelihood = try TrainingSimulators.likelihood(of: clean)
    let levels = [0.5, 0.68, 0.9, 0.95]
    let supports = clean.prior.thetaIndices.map { clean.prior.parameters[$0].distribution.support }
    let priorRMSE = (0..<d).map { j in
        let mid = (supports[j].lowerBound + supports[j].upperBound) / 2
        return ((0..<count).reduce(0.0) { $0 + pow(mid - theta[$1 * d + j], 2) } / Double(count)).squareRoot()
    }

    /// One method on one input variant: samples per target through a PosteriorSampler, log q of the truth.
    func evaluate(_ model: PosteriorModel, chain: SpectrumPreprocessing?, input: [Float], observedMask: Bool) throws -> [String: Any] {
        let estimator = model.estimator
        let base = EstimatorSampler(estimator: estimator, parameterNames: model.parameterNames)
        let sampler: any PosteriorSampler = chain.map { PreprocessedSampler(base: base, preprocessing: $0) } ?? base
        var squared = [Double](repeating: 0, count: d), marginalHits = [Int](repeating: 0, count: levels.count)
        var hpdRanks: [Double] = [], efficiencies: [Double] = [], seconds = 0.0
        for t in 0..<count {
            let xt = Array(input[(t * m)..<((t + 1) * m)]), st = Array(sigma[(t * m)..<((t + 1) * m)])
            let ct = a > 0 ? Array(context[(t * a)..<((t + 1) * a)]) : []
            let start = Date()
            let (draws, logq) = try sampler.sample(x: xt, sigma: estimator.architecture.noiseLevelInput ? st : nil, context: ct,
                                                  count: samples, stream: RandomStream(seed: 21).child(UInt64(t)), workers: 1)
            seconds += Date().timeIntervalSince(start)
            let given = try chain?.apply(xt) ?? xt
            let observed: Tensor? = estimator.architecture.maskInput ? try Tensor(shape: [1, m], scalars: given.map { $0.isNaN ? 0 : 1 }) : nil
            let truthLogq = try estimator.logProbability(
                of: Tensor(shape: [1, d], scalars: theta[(t * d)..<((t + 1) * d)].map(Float.init)), given: Tensor(shape: [1, m], scalars: given),
                sigma: estimator.architecture.noiseLevelInput ? Tensor(shape: [1, m], scalars: st) : nil, observed: observed,
                context: a > 0 ? Tensor(shape: [1, a], scalars: ct) : nil).scalars[0]
            hpdRanks.append(ExpectedCoverage.hpdRank(logDensityOfTruth: Double(truthLogq), logDensityOfSamples: logq.map(Double.init)))
            for j in 0..<d {
                let column = (0..<samples).map { Double(draws[$0 * d + j]) }
                let truth = theta[t * d + j]
                squared[j] += pow(column.reduce(0, +) / Double(samples) - truth, 2)
                let rank = Double(column.filter { $0 < truth }.count) / Double(samples)
                for (k, g) in levels.enumerated() where abs(rank - 0.5) < g / 2 { marginalHits[k] += 1 }
            }
            if t < isTargets {
                // The exact likelihood of the data as observed (NaN bins are left out), never of the processed x.
                let thetas = (0..<samples).map { r in (0..<d).map { Double(draws[r * d + $0]) } }
                let xd = xt.map(Double.init), sd = zip(xt, st).map { $0.isNaN ? Double.nan : Double($1) }
                let logL = likelihood.logLikelihoods(thetas: thetas, rows: Array(0..<samples), seed: 5, context: ct.map(Double.init), x: xd, sigma: sd)
                let result = ImportanceSampling.weigh(logLikelihood: logL, logPrior: thetas.map { likelihood.logPrior(theta: $0) },
                                                      logProposal: logq.map(Double.init))
                efficiencies.append(result.efficiency)
            }
        }
        let sortedEfficiency = efficiencies.sorted()
        return [
            "rmse": squared.map { ($0 / Double(count)).squareRoot() },
            "rmse_over_prior_rmse": zip(squared, priorRMSE).map { ($0 / Double(count)).squareRoot() / $1 },
            "marginal_coverage": marginalHits.map { Double($0) / Double(count * d) },
            "hpd_coverage": ExpectedCoverage.curve(ranks: hpdRanks, levels: levels).map(\.coverage),
            "is_efficiency_median": sortedEfficiency.isEmpty ? Double.nan : sortedEfficiency[sortedEfficiency.count / 2],
            "is_efficiency_mean": efficiencies.reduce(0, +) / Double(max(efficiencies.count, 1)),
            "seconds_per_target": seconds / Double(count),
            "training_seconds": (model.card.metrics["training_seconds"] ?? .nan)
                + (chain?.steps.reduce(0.0) { $0 + (try! registry.load($1.reference).card.metrics["training_seconds"] ?? .nan) } ?? 0),
        ]
    }
    let methods: [String: Any] = [
        "flexare_full": try evaluate(clean, chain: chainFull, input: x, observedMask: false),
        "flexare_masked": try evaluate(clean, chain: chainMasked, input: maskedX, observedMask: false),
        "noise_conditioned_full": try evaluate(noisy, chain: nil, input: x, observedMask: false),
        "mask_aware_full": try evaluate(masked, chain: nil, input: x, observedMask: true),
        "mask_aware_masked": try evaluate(masked, chain: nil, input: maskedX, observedMask: true),
    ]
    let report: [String: Any] = [
        "targets": count, "samples": samples, "transits": transits, "is_targets": min(isTargets, count), "segment": "\(segment.name) \(segment.first)-\(segment.last)",
        "parameters": clean.parameterNames, "coverage_levels": levels, "prior_rmse": priorRMSE,
        "reconstruction": reconstruction, "methods": methods,
    ]
    print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self))
    for (name, value) in methods {
        let ratios = (value as! [String: Any])["rmse_over_prior_rmse"] as! [Double]
        #expect(ratios.reduce(0, +) / Double(d) < 1, "\(name): mean RMSE / prior RMSE \(ratios)")
    }
}
