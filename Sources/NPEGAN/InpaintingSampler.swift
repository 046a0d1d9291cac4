import Foundation
import NPEInference
import NPERegistry
import NPETensor
import NPESupport

/// An `exogan` model as NPEInference's ``NPEInference/PosteriorSampler``, so `npe-infer` writes its posterior file
/// like a flow's: the S samples of a target are the parameter patches of S inpainting restarts
/// (``InpaintingRetrieval``, R = S).
///
/// A GAN has no density, so log q is NaN for every sample (`docs/posterior-format.md`), and there is no importance
/// sampling. σ is not read (the catalogue needs none); the contextual loss weighs every known pixel alike. A bin
/// whose (noisy) depth is at or below zero cannot enter the image's log-depth strips; it is raised to the lowest
/// depth of the encoding, 10^logDepthLow (``flooredSpectrum(_:)``).
public struct InpaintingSampler: PosteriorSampler {
    public let model: ExoGANModel
    public let parameterNames: [String]
    /// Adam steps on z per restart and the perceptual weight λ (restarts come from the sample count).
    public let options: InpaintingOptions

    public init(model: ExoGANModel, parameterNames: [String], options: InpaintingOptions) {
        self.model = model
        self.parameterNames = parameterNames
        self.options = options
    }

    /// The retrieval settings a card records in `training.configuration.exogan` (`iterations`,
    /// `perceptual_weight`), over ``InpaintingOptions``' defaults for anything missing.
    public static func options(recordedIn card: ModelCard) -> InpaintingOptions {
        var options = InpaintingOptions()
        let section = card.training.configuration["exogan"]
        if case let .number(value)? = section?["iterations"], value >= 0, value < 1e6 { options.iterations = Int(value) }
        if case let .number(value)? = section?["perceptual_weight"], value >= 0, value.isFinite {
            options.perceptualWeight = Float(value)
        }
        return options
    }

    /// x with every depth below 10^logDepthLow (zero and negative noisy depths included) raised to it.
    public func flooredSpectrum(_ x: [Float]) -> [Float] {
        let floor = Float(pow(10, model.encoding.logDepthLow))
        return x.map { $0.isFinite ? max($0, floor) : $0 }
    }

    public func sample(x: [Float], sigma: [Float]?, context: [Float], count: Int, stream: RandomStream, workers: Int) throws
        -> (theta: [Float], logProposal: [Float])
    {
        var options = self.options
        options.restarts = count
        // The target's stream fixes the restarts' initial z (one target per call, so stream 0 of this seed).
        options.seed = stream.seed &+ stream.stream &* 0x9E37_79B9_7F4A_7C15
        let retrieval = try InpaintingRetrieval(model: model, options: options)
        let spectrum = try Tensor(shape: [1, x.count], scalars: flooredSpectrum(x))
        let samples = try retrieval.samples(spectra: spectrum, sigma: nil)
        return (samples.scalars, [Float](repeating: .nan, count: count))
    }
}
