import Foundation
import NPETensor
import NPESupport

/// Everything one run needs, checked: the catalogue (in the model's column order), the model's sampler, the
/// exact likelihood when importance sampling is on, and the health checks.
///
/// ``posterior(ofTarget:)`` is the whole per-target computation: screen, sample with the stream keyed on
/// (seed, t), weigh, summarise, check the posterior predictive, flag. It depends on nothing but the target's own inputs and the settings, which is
/// what makes batching, threading and resumption invisible in the output.
public struct InferenceJob {
    public let catalogue: Catalogue
    /// SHA-256 of the catalogue file, recorded and part of the run digest.
    public let catalogueSHA256: String
    public let model: ModelRequirements
    public let sampler: any PosteriorSampler
    /// Whether the sampler reads σ (a noise-level-conditioned model).
    public let samplerReadsSigma: Bool
    /// The model's simulator and prior: the exact likelihood for importance sampling, and the forward model of the
    /// posterior predictive check. Nil when neither runs.
    public let likelihood: SimulatorLikelihood?
    public let screening: TargetScreening
    public let settings: InferenceSettings

    /// Checks settings and compatibility (``ModelRequirements/check(_:needsSigma:)``) before any work.
    public init(catalogue: Catalogue, catalogueSHA256: String, model: ModelRequirements, sampler: any PosteriorSampler,
                samplerReadsSigma: Bool, likelihood: SimulatorLikelihood?, screening: TargetScreening,
                settings: InferenceSettings) throws {
        try settings.validate()
        guard sampler.parameterNames == model.parameterNames else {
            throw InferenceError.incompatible(catalogue: catalogue.source, model: model.reference,
                                              reason: "sampler parameters \(sampler.parameterNames) differ from the card's \(model.parameterNames)")
        }
        if settings.importanceSampling || settings.predictiveCheck {
            guard let likelihood else {
                throw InferenceError.likelihoodUnavailable(
                    model: model.reference, reason: settings.importanceSampling ? "no simulator was given"
                        : "the posterior predictive check simulates posterior draws, and no simulator was given (pass --predictive-draws 0 to run without it)")
            }
            guard likelihood.binCount == model.binCount else {
                throw InferenceError.likelihoodUnavailable(
                    model: model.reference, reason: "the simulator has \(likelihood.binCount) outputs, the model reads \(model.binCount) bins")
            }
        }
        self.catalogue = try model.check(catalogue, needsSigma: samplerReadsSigma || settings.importanceSampling || settings.predictiveCheck)
        self.catalogueSHA256 = catalogueSHA256
        self.model = model
        self.sampler = sampler
        self.samplerReadsSigma = samplerReadsSigma
        self.likelihood = settings.importanceSampling || settings.predictiveCheck ? likelihood : nil
        self.screening = screening
        self.settings = settings
    }

    /// D.
    public var parameterCount: Int { model.parameterNames.count }

    /// Target t's σ: the catalogue's, else the model's default; nil when neither exists.
    func sigma(ofTarget t: Int) -> ArraySlice<Double>? {
        if let sigma = catalogue.sigma { return Catalogue.row(sigma, t, width: catalogue.binCount) }
        return model.defaultSigma?[...]
    }

    /// The posterior of target `t`. Never throws for bad target input (that is a flag); throws only when the
    /// model itself fails.
    public func posterior(ofTarget t: Int) throws -> TargetPosterior {
        let m = catalogue.binCount, a = catalogue.contextNames.count, s = settings.samplesPerTarget, d = parameterCount
        let x = Catalogue.row(catalogue.x, t, width: m)
        let sigma = sigma(ofTarget: t)
        let context = catalogue.context.map { Catalogue.row($0, t, width: a) }
        let (flags, reasons) = screening.screen(x: x, sigma: sigma, context: context, acceptsMissingBins: sampler.acceptsMissingBins)
        if !flags.isDisjoint(with: .notInferred) {
            var skipped = TargetPosterior.skipped(samples: s, parameters: d, importanceSampling: settings.importanceSampling,
                                                  flags: flags, reasons: reasons)
            if settings.predictiveCheck { skipped.predictive = .skipped(draws: settings.predictiveDraws, bins: m) }
            return skipped
        }
        let stream = RandomStream(seed: settings.seed).child(UInt64(t))
        let started = DispatchTime.now().uptimeNanoseconds
        let (theta, logProposal) = try sampler.sample(
            x: x.map(Float.init), sigma: samplerReadsSigma ? sigma.map { $0.map(Float.init) } : nil,
            context: context.map { $0.map(Float.init) } ?? [], count: s, stream: stream, workers: settings.threads)
        var result = TargetPosterior(samples: theta, logProposal: logProposal, logWeights: nil, effectiveSampleSize: .nan,
                                     efficiency: .nan, logEvidence: .nan, summary: [], flags: flags, reasons: reasons)
        let sampled = DispatchTime.now().uptimeNanoseconds
        result.samplingSeconds = Double(sampled - started) / 1e9
        var weights: [Double]?
        if settings.importanceSampling, let likelihood, let sigma {
            let weighed = weigh(theta: theta, logProposal: logProposal, x: Array(x), sigma: Array(sigma),
                                context: context.map(Array.init) ?? [], likelihood: likelihood)
            weights = weighed.weights
            result.logWeights = weighed.weights.map { Float(log($0)) }
            result.effectiveSampleSize = weighed.effectiveSampleSize
            result.efficiency = weighed.efficiency
            result.logEvidence = weighed.logEvidence
            result.importanceSeconds = Double(DispatchTime.now().uptimeNanoseconds - sampled) / 1e9
            if let reason = Self.lowEfficiencyReason(ess: weighed.effectiveSampleSize, samples: s, settings: settings) {
                result.flags.insert(.lowImportanceEfficiency)
                result.reasons.append(reason)
            }
        }
        // With all weights zero there is no weighted posterior: summarise q's samples and keep the flag.
        let usable = weights.flatMap { w in w.contains { $0 > 0 } ? w : nil }
        result.summary = TargetPosterior.summarize(samples: theta, parameters: d, weights: usable, threads: settings.threads)
        if settings.predictiveCheck, let likelihood, let sigma {
            let started = DispatchTime.now().uptimeNanoseconds
            let check = predictiveCheck(ofTarget: t, theta: theta, weights: usable, x: Array(x), sigma: Array(sigma),
                                        context: context.map(Array.init) ?? [], simulator: likelihood)
            result.predictive = check
            result.predictiveSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            if check.pValue < settings.misfitThreshold {
                result.flags.insert(.modelMisfit)
                // p = 0 means no replicate reached the data's χ²: say how small that bound is.
                let comparisons = check.chiSquared.filter(\.isFinite).count * settings.predictiveReplicates
                let p = check.pValue > 0 ? String(format: "%.3g", check.pValue) : String(format: "0 (none of %d replicates reached the data's χ²)", comparisons)
                result.reasons.append(String(format: "model_misfit: posterior predictive p = %@ < %.3g (best draw χ² = %.1f over %d observed bins)",
                                             p, settings.misfitThreshold, check.bestChiSquared, check.observedBins))
            }
        }
        return result
    }

    /// The posterior predictive check of target `t` (``PosteriorPredictiveCheck``): N draws, resampled by their
    /// importance weights when there are usable ones (else the first N samples of q), simulated on
    /// ``InferenceSettings/threads`` threads; every random draw is keyed on (seed, t), so the result does not depend
    /// on the thread count.
    func predictiveCheck(ofTarget t: Int, theta: [Float], weights: [Double]?, x: [Double], sigma: [Double], context: [Double],
                         simulator: SimulatorLikelihood) -> PosteriorPredictiveCheck {
        let n = settings.predictiveDraws, d = parameterCount
        let stream = RandomStream(seed: settings.seed, stream: PosteriorPredictiveCheck.streamDomain).child(UInt64(t))
        // Without usable weights, the first N samples of q (cycling when importance sampling allowed N > S).
        let samples = theta.count / max(d, 1)
        let indices = weights.map { PosteriorPredictiveCheck.resample(weights: $0, count: n, stream: stream) }
            ?? (0..<n).map { $0 % samples }
        var spectra = [[Double]?](repeating: nil, count: n)
        let threads = max(1, min(settings.threads, n))
        spectra.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                for k in stride(from: worker, to: n, by: threads) {
                    let sample = (0..<d).map { Double(theta[indices[k] * d + $0]) }
                    // A draw outside the prior has no spectrum to compare (the simulator may not even accept it).
                    out[k] = simulator.logPrior(theta: sample).isFinite ? simulator.spectrum(theta: sample, context: context) : nil
                }
            }
        }
        return PosteriorPredictiveCheck.evaluate(draws: indices.map(Int64.init), spectra: spectra, x: x, sigma: sigma,
                                                 replicates: settings.predictiveReplicates, stream: stream)
    }

    /// Why a target's importance weights are too uneven to trust, or nil: the efficiency ESS/S is below
    /// ``InferenceSettings/lowEfficiencyThreshold``, or the ESS itself is below
    /// ``InferenceSettings/minimumEffectiveSampleSize`` (NaN fails both). Documented in docs/posterior-format.md.
    static func lowEfficiencyReason(ess: Double, samples s: Int, settings: InferenceSettings) -> String? {
        let efficiency = ess / Double(s)
        var failed: [String] = []
        if !(efficiency >= settings.lowEfficiencyThreshold) {
            failed.append(String(format: "ESS/S = %.3g < %.3g", efficiency, settings.lowEfficiencyThreshold))
        }
        if !(ess >= settings.minimumEffectiveSampleSize) {
            failed.append(String(format: "ESS = %.1f < %.3g", ess, settings.minimumEffectiveSampleSize))
        }
        guard !failed.isEmpty else { return nil }
        return String(format: "low_importance_efficiency: %@ (ESS %.1f of %d samples)",
                      failed.joined(separator: " and "), ess, s)
    }

    /// Importance weights of S samples: the S simulations run on ``InferenceSettings/threads`` threads; each
    /// sample's weight depends only on that sample, so the result does not depend on the thread count.
    func weigh(theta: [Float], logProposal: [Float], x: [Double], sigma: [Double], context: [Double],
               likelihood: SimulatorLikelihood) -> ImportanceSamplingResult {
        let s = logProposal.count, d = parameterCount
        var logLikelihood = [Double](repeating: -.infinity, count: s)
        var logPrior = [Double](repeating: -.infinity, count: s)
        let threads = max(1, min(settings.threads, s))
        logLikelihood.withUnsafeMutableBufferPointer { ll in
            logPrior.withUnsafeMutableBufferPointer { lp in
                let (likelihoods, priors) = (ll, lp)
                DispatchQueue.concurrentPerform(iterations: threads) { worker in
                    // Each worker simulates its samples in one batch; a sample's weight depends only on itself.
                    var batch: [Int] = []
                    var samples: [[Double]] = []
                    for k in stride(from: worker, to: s, by: threads) {
                        let sample = (0..<d).map { Double(theta[k * d + $0]) }
                        let prior = likelihood.logPrior(theta: sample)
                        priors[k] = prior
                        // Outside the prior the weight is 0 whatever the likelihood: skip the simulation.
                        if prior.isFinite {
                            batch.append(k)
                            samples.append(sample)
                        }
                    }
                    guard !batch.isEmpty else { return }
                    let values = likelihood.logLikelihoods(thetas: samples, rows: batch, seed: settings.seed,
                                                           context: context, x: x, sigma: sigma)
                    for (k, value) in zip(batch, values) { likelihoods[k] = value }
                }
            }
        }
        return ImportanceSampling.weigh(logLikelihood: logLikelihood, logPrior: logPrior, logProposal: logProposal.map(Double.init))
    }
}
