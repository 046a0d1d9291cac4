import Foundation
import NPESimulators
import NPETensor
import NPESupport

/// Scores flow samples against importance-weighted reference samples, for the rows of a held-out set that have no
/// reference posterior of their own.
///
/// With Gaussian noise the likelihood is exact, log p(x|θ) = log N(x; f(θ), diag σ²), so the self-normalised weights
/// wₛ ∝ p(x|θₛ) p(θₛ) / q(θₛ|x) turn q's samples into an asymptotically exact sample of the posterior
/// (``ImportanceSampling``). Against it:
/// - the ADC2023 score (``PosteriorScore/adc2023(samples:reference:referenceWeights:bounds:)``), bounds = the prior's
///   support where finite, otherwise the range of the samples;
/// - optionally C2ST (``ClassifierTwoSampleTest``): S fresh flow samples against S draws resampled from the weights
///   (systematic resampling).
///
/// Warning: when the efficiency ESS/S is small the weighted reference rests on few samples and the score is noisy;
/// the report gives the mean efficiency beside the scores. Cost: S simulations per row.
struct ReferenceScoring {
    let model: ValidationModel
    let simulator: any Simulator
    let options: ValidationOptions

    func score(rows: TestRows, draws: PosteriorDraws) throws -> ValidationReport.ReferenceScore {
        let start = Date()
        let prior = model.prior
        let thetaPrior = try prior.restricted(toTheta: model.parameterNames)
        // For each simulator input: where its value comes from.
        enum Source { case theta(Int), context(Int), fixed(Double) }
        let sources: [Source] = try prior.parameterIndices(forInputs: simulator.inputNames, simulator: simulator.name).map { k in
            let parameter = prior.parameters[k]
            if let j = model.parameterNames.firstIndex(of: parameter.name) { return .theta(j) }
            if let j = model.contextNames.firstIndex(of: parameter.name) { return .context(j) }
            return .fixed(parameter.distribution.quantile(0.5))
        }
        let k = min(options.referenceRows, rows.count)
        let s = draws.count
        var adc: [Double] = [], c2st: [Double] = [], efficiency: [Double] = []
        let bounds = (0..<draws.dimension).map { j -> ClosedRange<Double> in
            let support = thetaPrior.parameters[j].distribution.support
            if support.lowerBound.isFinite && support.upperBound.isFinite { return support }
            let values = (0..<k).flatMap { draws.marginal(row: $0, parameter: j) }
            let low = values.min() ?? 0, high = values.max() ?? 1
            return low...(high > low ? high : low + 1)
        }
        for r in 0..<k {
            let samples = draws.samples(row: r)
            let context = rows.context(row: r), sigma = rows.sigma(row: r), observed = rows.observed(row: r)
            var logLikelihood = [Double](repeating: -.infinity, count: s)
            let lock = NSLock()
            let workers = max(1, min(options.workers, s))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for i in stride(from: worker, to: s, by: workers) {
                    let inputs = sources.map { source -> Double in
                        switch source {
                        case let .theta(j): return samples[i][j]
                        case let .context(j): return context[j]
                        case let .fixed(value): return value
                        }
                    }
                    guard let mu = try? simulator.simulate(inputs), mu.allSatisfy(\.isFinite) else { continue }
                    // Missing bins (NaN) are left out: the reference is the posterior given the observed bins.
                    let seen = observed.indices.filter { !observed[$0].isNaN }
                    let value = NoiseModel.logLikelihood(observed: seen.map { observed[$0] }, simulated: seen.map { mu[$0] },
                                                         sigma: seen.map { sigma[$0] })
                    lock.lock()
                    logLikelihood[i] = value
                    lock.unlock()
                }
            }
            let weighted = ImportanceSampling.weigh(
                logLikelihood: logLikelihood, logPrior: samples.map { thetaPrior.logDensity(theta: $0) },
                logProposal: draws.logDensities(row: r))
            efficiency.append(weighted.efficiency)
            adc.append(PosteriorScore.adc2023(samples: samples, reference: samples, referenceWeights: weighted.weights, bounds: bounds))
            if options.classifierTest {
                let inputs = try rows.tensors(r..<(r + 1), withSigma: model.takesNoiseLevel)
                let fresh = try model.posterior.sample(
                    x: inputs.x, sigma: inputs.sigma, context: inputs.context, count: s,
                    stream: RandomStream(seed: options.seed, stream: 0xC2).child(UInt64(r)), workers: options.workers)
                let freshRows = (0..<s).map { i in (0..<draws.dimension).map { Double(fresh.theta[i * draws.dimension + $0]) } }
                let resampled = Self.systematicResample(weights: weighted.weights, offset: 0.5).map { samples[$0] }
                c2st.append(try ClassifierTwoSampleTest.accuracy(freshRows, resampled, epochs: 100, seed: options.seed))
            }
        }
        func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }
        return ValidationReport.ReferenceScore(
            status: "computed", reason: nil, reference: "importance-weighted flow samples against the exact likelihood",
            rows: k, adc2023: mean(adc), c2stAccuracy: mean(c2st), meanEfficiency: mean(efficiency), simulations: k * s,
            seconds: Date().timeIntervalSince(start))
    }

    /// Why `simulator` cannot give this model's likelihood (a built-in name can stand for another configuration than
    /// the one that made the data), or nil when its outputs and inputs fit.
    static func mismatch(simulator: any Simulator, model: ValidationModel) -> String? {
        if simulator.outputCount != model.wavelengths.count {
            return "the built-in simulator '\(simulator.name)' makes \(simulator.outputCount) outputs, the model reads \(model.wavelengths.count)"
        }
        if let missing = simulator.inputNames.first(where: { model.prior.parameter(named: $0) == nil }) {
            return "the built-in simulator '\(simulator.name)' needs input '\(missing)', which the model's prior does not declare"
        }
        return nil
    }

    /// Systematic resampling: S indices, index i repeated about S·wᵢ times (Kitagawa 1996), with a fixed offset so
    /// the result is deterministic.
    static func systematicResample(weights: [Double], offset: Double) -> [Int] {
        let s = weights.count
        var indices: [Int] = []
        indices.reserveCapacity(s)
        var cumulative = 0.0, i = 0
        for k in 0..<s {
            let target = (Double(k) + offset) / Double(s)
            while i < s - 1 && cumulative + weights[i] < target { cumulative += weights[i]; i += 1 }
            indices.append(i)
        }
        return indices
    }
}
