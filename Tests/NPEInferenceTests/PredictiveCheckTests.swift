import Foundation
import NPESimulators
import NPETensor
import NPESupport
import Testing
@testable import NPEInference

/// The posterior predictive check (`PosteriorPredictiveCheck`): its arithmetic against closed forms, its calibration
/// on a well-specified linear-Gaussian model, and its power against a wrong data generator.
struct PredictiveCheckTests {
    /// Systematic resampling gives each sample ⌊N w⌋ or ⌈N w⌉ copies, never a zero-weight sample.
    @Test func systematicResamplingFollowsTheWeights() {
        let weights = [0, 0.25, 0.125, 0.625, 0, 0]
        for seed in 0..<20 as Range<UInt64> {
            let draws = PosteriorPredictiveCheck.resample(weights: weights, count: 1000, stream: RandomStream(seed: seed))
            #expect(draws.count == 1000 && draws == draws.sorted())
            for (s, w) in weights.enumerated() {
                let copies = draws.filter { $0 == s }.count
                #expect(Double(copies) >= (1000 * w).rounded(.down) && Double(copies) <= (1000 * w).rounded(.up), "sample \(s)")
            }
        }
    }

    /// With n = 10 observed bins (even), P(χ²₁₀ ≥ d) = e^{−d/2} Σ_{j<5} (d/2)^j / j! exactly, so the Monte Carlo p-value
    /// must match the mean of that tail over the draws. Two bins of x and one draw's spectrum are unusable (NaN bins are
    /// "not observed"; a refused draw is left out).
    @Test func thePValueMatchesTheChiSquaredTailAndSkipsUnobservedBins() throws {
        let m = 12
        var x = (0..<m).map { 0.3 * sin(Double($0)) }
        x[3] = .nan
        var sigma = [Double](repeating: 0.1, count: m)
        sigma[7] = .nan
        // Draws whose spectra sit at increasing distances from x: χ² from about 2 to 40, p from ≈1 to ≈0.
        var spectra: [[Double]?] = (0..<20).map { i in (0..<m).map { b in x[b].isNaN ? 0 : x[b] + 0.1 * (Double(i) / 6) * cos(Double(b + i)) } }
        spectra[5] = nil
        let check = PosteriorPredictiveCheck.evaluate(draws: (0..<20).map(Int64.init), spectra: spectra, x: x, sigma: sigma,
                                                      replicates: 2000, stream: RandomStream(seed: 11).child(4))
        #expect(check.observedBins == 10)
        #expect(check.chiSquared[5].isNaN && check.replicateChiSquared[5].isNaN)
        func tail(_ d: Double) -> Double {
            var term = 1.0, sum = 1.0
            for j in 1..<5 { term *= (d / 2) / Double(j); sum += term }
            return exp(-d / 2) * sum
        }
        var expected = 0.0
        for (i, spectrum) in spectra.enumerated() {
            guard let mu = spectrum else { continue }
            let d = (0..<m).filter { $0 != 3 && $0 != 7 }.reduce(0.0) { $0 + pow((x[$1] - mu[$1]) / 0.1, 2) }
            #expect(abs(check.chiSquared[i] - d) <= 1e-9 * d)
            expected += tail(d) / 19
        }
        // 19 × 2000 comparisons; the binomial standard error is at most √(0.25 / 38000) = 2.6e-3 (less, since the
        // indicators within a draw share D_obs), so 0.011 is over 4 standard errors.
        #expect(abs(check.pValue - expected) < 0.011, "p \(check.pValue), exact \(expected)")
        // Bands: the median of the 19 accepted spectra per bin, in quantile order.
        let accepted = spectra.compactMap { $0 }
        for b in 0..<m {
            let band = Array(check.bands[(b * 5)..<(b * 5 + 5)])
            #expect(band == band.sorted())
            #expect(band[2] == accepted.map { $0[b] }.sorted()[9])
        }
    }

    @Test func noObservedBinGivesNoPValue() {
        let check = PosteriorPredictiveCheck.evaluate(draws: [0], spectra: [[1, 2]], x: [.nan, 1], sigma: [1, .nan],
                                                      replicates: 3, stream: RandomStream(seed: 1))
        #expect(check.observedBins == 0 && check.pValue.isNaN)
    }

    /// 200 simulated targets of a well-specified model: the p-values are close to uniform (KS p > 0.01) and at most
    /// two targets are flagged (0.2 expected at p < 0.001; p is conservative). With importance sampling, a q twice too
    /// wide is corrected by the resampled draws.
    @Test(arguments: [false, true]) func pValuesOfAWellSpecifiedModelAreUniform(importanceSampling: Bool) throws {
        let bench = PredictiveBench()
        let catalogue = try bench.catalogue(count: 200, bump: 0)
        let settings = InferenceSettings(samplesPerTarget: importanceSampling ? 400 : 100, seed: 5, importanceSampling: importanceSampling,
                                         threads: 2, predictiveDraws: 100, predictiveReplicates: 20)
        let job = try bench.job(catalogue, width: importanceSampling ? 2 : 1, settings: settings)
        let posteriors = try (0..<200).map { try job.posterior(ofTarget: $0) }
        let p = posteriors.map { $0.predictive!.pValue }
        #expect(p.allSatisfy { $0 >= 0 && $0 <= 1 })
        let ks = kolmogorovSmirnovUniform(p)
        #expect(ks.pValue > 0.01, "KS D = \(ks.statistic), p = \(ks.pValue)")
        #expect(posteriors.filter { $0.flags.contains(.modelMisfit) }.count <= 2)
    }

    /// The data carry an absorption feature the model lacks (a Gaussian bump of 5σ over ~5 bins, χ² ≈ 89 that two
    /// smooth parameters cannot absorb): nearly every target is flagged, and the reason names the p-value.
    @Test func aWrongDataGeneratorIsFlagged() throws {
        let bench = PredictiveBench()
        let catalogue = try bench.catalogue(count: 200, bump: 0.5)
        let settings = InferenceSettings(samplesPerTarget: 100, seed: 6, threads: 2, predictiveDraws: 100, predictiveReplicates: 20)
        let job = try bench.job(catalogue, width: 1, settings: settings)
        let posteriors = try (0..<200).map { try job.posterior(ofTarget: $0) }
        let flagged = posteriors.filter { $0.flags.contains(.modelMisfit) }
        #expect(flagged.count >= 180, "\(flagged.count) of 200 flagged")
        #expect(flagged.first?.reasons.last?.hasPrefix("model_misfit: posterior predictive p = ") == true)
    }

    /// The p-value and draws do not depend on the thread count.
    @Test func theCheckDoesNotDependOnThreads() throws {
        let bench = PredictiveBench()
        let catalogue = try bench.catalogue(count: 3, bump: 0)
        let one = try bench.job(catalogue, width: 1.5, settings: InferenceSettings(
            samplesPerTarget: 200, seed: 1, importanceSampling: true, threads: 1, predictiveDraws: 50))
        let four = try bench.job(catalogue, width: 1.5, settings: InferenceSettings(
            samplesPerTarget: 200, seed: 1, importanceSampling: true, threads: 4, predictiveDraws: 50))
        for t in 0..<3 {
            #expect(try one.posterior(ofTarget: t).predictive == four.posterior(ofTarget: t).predictive)
        }
    }

    @Test func settingsAreChecked() throws {
        let bench = PredictiveBench()
        let catalogue = try bench.catalogue(count: 1, bump: 0)
        #expect(throws: InferenceError.self) {
            try bench.job(catalogue, width: 1, settings: InferenceSettings(samplesPerTarget: 10, predictiveDraws: 11))
        }
        #expect(throws: InferenceError.self) {
            try bench.job(catalogue, width: 1, settings: InferenceSettings(samplesPerTarget: 10, predictiveDraws: 5, misfitThreshold: 1))
        }
    }
}

/// A linear-Gaussian problem with many bins per parameter (D = 2, M = 40), where the predictive p-value is close to
/// uniform under the true model (see `PosteriorPredictiveCheck`'s warning), and catalogues drawn from it.
struct PredictiveBench {
    let problem = LinearGaussianProblem.standard(thetaCount: 2, outputCount: 40)
    let stream = RandomStream(seed: 77)

    /// `count` targets from the prior, noise σ = 0.1, plus `bump` × a Gaussian feature at bin 26 of width 2 bins that
    /// the model does not have.
    func catalogue(count: Int, bump: Double) throws -> Catalogue {
        let m = problem.outputCount, d = problem.thetaCount
        var x: [Double] = [], truths: [Double] = []
        for t in 0..<count {
            let draws = stream.child(UInt64(t))
            let theta = (0..<d).map { draws.normalDouble(UInt64($0)) }
            let mu = try problem.simulate(theta)
            x += (0..<m).map { b in mu[b] + 0.1 * draws.normalDouble(UInt64(d + b)) + bump * exp(-0.5 * pow((Double(b) - 26) / 2, 2)) }
            truths += theta
        }
        return try Catalogue(source: "memory", ids: (0..<count).map { "P\($0)" }, wavelengths: nil, x: x,
                             sigma: [Double](repeating: 0.1, count: count * m), contextNames: [], context: nil,
                             thetaNames: problem.inputNames, thetaTrue: truths)
    }

    func job(_ catalogue: Catalogue, width: Double, settings: InferenceSettings) throws -> InferenceJob {
        let m = problem.outputCount
        let requirements = ModelRequirements(reference: "lg-ppc@1", kind: "test-gaussian", weightsSHA256: String(repeating: "cd", count: 32),
                                             parameterNames: problem.inputNames, parameterUnits: ["", ""], wavelengths: nil,
                                             binCount: m, contextNames: [], defaultSigma: nil)
        let likelihood = try SimulatorLikelihood(simulator: problem, prior: problem.prior, thetaNames: problem.inputNames,
                                                 contextNames: [], model: "lg-ppc@1")
        // Screening far from tripping: this suite is about the predictive check only.
        let screening = TargetScreening(xMean: [Double](repeating: 0, count: m), xStandardDeviation: [Double](repeating: 1e3, count: m),
                                        contextPrior: nil)
        return try InferenceJob(catalogue: catalogue, catalogueSHA256: "beef", model: requirements,
                                sampler: GaussianPosteriorSampler(problem: problem, width: width), samplerReadsSigma: false,
                                likelihood: likelihood, screening: screening, settings: settings)
    }
}

/// The one-sample Kolmogorov–Smirnov test of values against U(0, 1): D = sup |F_n − F| and its asymptotic p-value
/// Q_KS((√n + 0.12 + 0.11/√n) D), Q_KS(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²} (Stephens 1970; Numerical Recipes §14.3).
func kolmogorovSmirnovUniform(_ values: [Double]) -> (statistic: Double, pValue: Double) {
    let sorted = values.sorted(), n = Double(values.count)
    var statistic = 0.0
    for (i, u) in sorted.enumerated() { statistic = max(statistic, Double(i + 1) / n - u, u - Double(i) / n) }
    let lambda = (n.squareRoot() + 0.12 + 0.11 / n.squareRoot()) * statistic
    var sum = 0.0
    for k in 1...100 { sum += (k % 2 == 1 ? 2 : -2) * exp(-2 * Double(k * k) * lambda * lambda) }
    return (statistic, min(max(sum, 0), 1))
}
