import Foundation
import NPETensor

/// Everything one run needs, checked: the catalogue (in the model's column order), the model's sampler, the
/// exact likelihood when importance sampling is on, and the health checks.
///
/// ``posterior(ofTarget:)`` is the whole per-target computation: screen, sample with the stream keyed on
/// (seed, t), weigh, summarise, flag. It depends on nothing but the target's own inputs and the settings, which is
/// what makes batching, threading and resumption invisible in the output.
public struct InferenceJob {
    public let catalogue: Catalogue
    /// SHA-256 of the catalogue file, recorded and part of the run digest.
    public let catalogueSHA256: String
    public let model: ModelRequirements
    public let sampler: any PosteriorSampler
    /// Whether the sampler reads σ (a noise-level-conditioned model).
    public let samplerReadsSigma: Bool
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
        if settings.importanceSampling {
            guard let likelihood else {
                throw InferenceError.likelihoodUnavailable(model: model.reference, reason: "no simulator was given")
            }
            guard likelihood.binCount == model.binCount else {
                throw InferenceError.likelihoodUnavailable(
                    model: model.reference, reason: "the simulator has \(likelihood.binCount) outputs, the model reads \(model.binCount) bins")
            }
        }
        self.catalogue = try model.check(catalogue, needsSigma: samplerReadsSigma || settings.importanceSampling)
        self.catalogueSHA256 = catalogueSHA256
        self.model = model
        self.sampler = sampler
        self.samplerReadsSigma = samplerReadsSigma
        self.likelihood = settings.importanceSampling ? likelihood : nil
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
            return .skipped(samples: s, parameters: d, importanceSampling: settings.importanceSampling, flags: flags, reasons: reasons)
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
        if let likelihood, let sigma {
            let weighed = weigh(theta: theta, logProposal: logProposal, x: Array(x), sigma: Array(sigma),
                                context: context.map(Array.init) ?? [], likelihood: likelihood)
            weights = weighed.weights
            result.logWeights = weighed.weights.map { Float(log($0)) }
            result.effectiveSampleSize = weighed.effectiveSampleSize
            result.efficiency = weighed.efficiency
            result.logEvidence = weighed.logEvidence
            result.importanceSeconds = Double(DispatchTime.now().uptimeNanoseconds - sampled) / 1e9
            if !(weighed.efficiency >= settings.lowEfficiencyThreshold) {
                result.flags.insert(.lowImportanceEfficiency)
                result.reasons.append(String(format: "low_importance_efficiency: ESS/S = %.3g (ESS %.1f of %d; threshold %.3g)",
                                             weighed.efficiency, weighed.effectiveSampleSize, s, settings.lowEfficiencyThreshold))
            }
        }
        // With all weights zero there is no weighted posterior: summarise q's samples and keep the flag.
        let usable = weights.flatMap { w in w.contains { $0 > 0 } ? w : nil }
        result.summary = TargetPosterior.summarize(samples: theta, parameters: d, weights: usable, threads: settings.threads)
        return result
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
                    for k in stride(from: worker, to: s, by: threads) {
                        let sample = (0..<d).map { Double(theta[k * d + $0]) }
                        let prior = likelihood.logPrior(theta: sample)
                        priors[k] = prior
                        // Outside the prior the weight is 0 whatever the likelihood: skip the simulation.
                        likelihoods[k] = prior.isFinite ? likelihood.logLikelihood(theta: sample, context: context, x: x, sigma: sigma) : -.infinity
                    }
                }
            }
        }
        return ImportanceSampling.weigh(logLikelihood: logLikelihood, logPrior: logPrior, logProposal: logProposal.map(Double.init))
    }
}
