import NPETensor
import NPESupport

/// A model that draws posterior samples for one target: the part of `npe-infer` that differs between model kinds
/// (an `npe-flow` today; an `exogan` later), so the pipeline, its file format and its resume logic are shared.
///
/// Determinism contract: the samples are a pure function of the inputs and `stream`, whatever `workers` is. The
/// pipeline passes the stream keyed on (seed, target index), so a target's samples do not depend on batching,
/// threads or resumption.
public protocol PosteriorSampler {
    /// D parameter names, in the order of the samples' last axis.
    var parameterNames: [String] { get }
    /// Whether the model infers from partial spectra: then x may hold NaN at missing bins (and σ anything there).
    /// Otherwise the pipeline never passes a NaN.
    var acceptsMissingBins: Bool { get }

    /// Draws `count` samples θ `[count·D]` (row-major) and their log q(θ | x) `[count]`.
    ///
    /// - Parameters: x and σ have M values; `context` has A values (empty when the model has none). σ is nil
    ///   when the model does not read it.
    func sample(x: [Float], sigma: [Float]?, context: [Float], count: Int, stream: RandomStream, workers: Int) throws
        -> (theta: [Float], logProposal: [Float])
}

extension PosteriorSampler {
    /// Models read complete spectra unless they say otherwise.
    public var acceptsMissingBins: Bool { false }
}
