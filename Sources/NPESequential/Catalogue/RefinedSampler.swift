import NPEFlows
import NPEInference
import NPESupport

/// The posterior sampler of a refined catalogue: a target with a refined estimator is sampled from it, any other
/// from the amortised model. Targets are recognised by their observation (x, σ, context bits), which is all a
/// ``PosteriorSampler`` sees; two targets with the same observation have the same posterior anyway.
struct RefinedSampler: PosteriorSampler {
    let parent: EstimatorSampler
    let refined: [ObservationKey: EstimatorSampler]

    var parameterNames: [String] { parent.parameterNames }
    var acceptsMissingBins: Bool { parent.acceptsMissingBins }

    func sample(x: [Float], sigma: [Float]?, context: [Float], count: Int, stream: RandomStream, workers: Int) throws
        -> (theta: [Float], logProposal: [Float])
    {
        let sampler = refined[ObservationKey(x: x, sigma: sigma, context: context)] ?? parent
        return try sampler.sample(x: x, sigma: sigma, context: context, count: count, stream: stream, workers: workers)
    }
}

/// The float bits of an observation as the inference pipeline passes it.
struct ObservationKey: Hashable {
    let bits: [UInt32]

    init(x: [Float], sigma: [Float]?, context: [Float]) {
        bits = x.map(\.bitPattern) + [UInt32.max] + (sigma ?? []).map(\.bitPattern) + [UInt32.max] + context.map(\.bitPattern)
    }
}
