import Foundation
import NPENN
import NPETensor
import NPESupport

/// How ``InpaintingRetrieval`` completes images.
public struct InpaintingOptions: Codable, Sendable, Equatable {
    /// The contextual loss on known pixels: weighted L1 (Yeh et al.'s choice) or half the weighted squared error.
    public enum ContextualLoss: String, Codable, Sendable { case l1, l2 }

    /// R, completions per target; their decoded parameters are the posterior samples.
    public var restarts: Int = 64
    /// Adam steps on z per target.
    public var iterations: Int = 300
    /// Adam's step size on z.
    public var learningRate: Float = 0.03
    /// λ, the weight of the perceptual loss −log D(G(z)) against the contextual loss (Yeh et al. 2017 use 0.1).
    public var perceptualWeight: Float = 0.1
    public var contextualLoss: ContextualLoss = .l1
    /// Seeds the restarts' initial z (target t uses stream t, so results do not depend on the chunking).
    public var seed: UInt64 = 0
    /// Targets optimised together in one batch of chunk · R rows (the same result as one at a time, faster).
    public var targetsPerChunk: Int = 8

    public init() {}

    func validate() throws {
        guard restarts > 0 else { throw ExoGANError.invalidOption(name: "restarts", reason: "must be positive, got \(restarts)") }
        guard iterations >= 0 else { throw ExoGANError.invalidOption(name: "iterations", reason: "must not be negative, got \(iterations)") }
        guard learningRate > 0, learningRate.isFinite else {
            throw ExoGANError.invalidOption(name: "learningRate", reason: "must be positive, got \(learningRate)")
        }
        guard perceptualWeight >= 0, perceptualWeight.isFinite else {
            throw ExoGANError.invalidOption(name: "perceptualWeight", reason: "must be non-negative, got \(perceptualWeight)")
        }
        guard targetsPerChunk > 0 else {
            throw ExoGANError.invalidOption(name: "targetsPerChunk", reason: "must be positive, got \(targetsPerChunk)")
        }
    }
}

/// Parameter retrieval by semantic inpainting (Yeh et al. 2017, arXiv:1607.07539), as ExoGAN does it.
///
/// Not thread-safe with respect to its model: it switches the networks to evaluation mode and freezes their
/// parameters while it runs, so one model must not serve two retrievals (or a retrieval and training) at once.
///
/// For an observed spectrum y (encoded: the known pixels of its image, ``ASPAEncoding/knownMask``), each of R
/// restarts starts from z ~ N(0, I) and takes Adam steps on z to minimise
///
///     L(z) = Σ_known w_i · |G(z)_i − y_i|   +   λ · softplus(−D(G(z)))        (L1; L2 uses ½ (w_i (G_i − y_i))²)
///
/// where softplus(−logit) = −log D(G(z)) is the perceptual loss and w are the contextual weights
/// (``ASPAEncoding/contextWeights(spectra:sigma:)``: 1, or 1/σ in pixel units when σ is given). Both networks
/// are frozen in evaluation mode, so the R restarts (and the targets of one chunk) are independent rows of one
/// batch and Adam, being elementwise, treats each as if alone. The parameter patches of the R completions are
/// decoded (patch means, clamped to the prior box): the spread over restarts is the retrieved distribution.
///
/// The L1 term is written |r| = leakyReLU(r; slope −1), one op whose subgradient at 0 is −1 (measure zero).
public final class InpaintingRetrieval {
    public let model: ExoGANModel
    public let options: InpaintingOptions

    public init(model: ExoGANModel, options: InpaintingOptions = InpaintingOptions()) throws {
        try options.validate()
        self.model = model
        self.options = options
    }

    /// Posterior-like samples θ `[T, R, D]` for spectra x `[T, 52]`, with optional 1σ errors `[T, 52]` (same units).
    public func samples(spectra x: Tensor, sigma: Tensor? = nil) throws -> Tensor {
        let context = try model.encoding.encode(spectra: x)
        let weights = try model.encoding.contextWeights(spectra: x, sigma: sigma)
        let targets = x.shape[0], restarts = options.restarts, d = model.encoding.parameterCount
        var out = [Float]()
        out.reserveCapacity(targets * restarts * d)
        model.setMode(.evaluation)
        for first in stride(from: 0, to: targets, by: options.targetsPerChunk) {
            let chunk = Array(first..<min(targets, first + options.targetsPerChunk))
            let images = try complete(targets: chunk, context: context, weights: weights)
            out += try model.encoding.decodeParameters(images).scalars
        }
        return try Tensor(shape: [targets, restarts, d], scalars: out)
    }

    /// The completed images `[chunk · R, 16, 16, 1]` of the given targets, restarts of a target adjacent.
    func complete(targets: [Int], context: Tensor, weights: Tensor) throws -> Tensor {
        let restarts = options.restarts, pixels = ASPALayout.pixelCount
        let rows = targets.count * restarts
        var known = [Float](), weight = [Float](), initial = [Float]()
        let dimension = model.architecture.latentDimension
        for t in targets {
            let contextRow = Array(context.scalars[(t * pixels)..<((t + 1) * pixels)])
            let weightRow = Array(weights.scalars[(t * pixels)..<((t + 1) * pixels)])
            for _ in 0..<restarts { known += contextRow; weight += weightRow }
            initial += RandomStream(seed: options.seed, stream: 0x1A9A).child(UInt64(t)).normalTensor([restarts, dimension]).scalars
        }
        let target = Variable(try Tensor(shape: [rows, pixels], scalars: known))
        let pixelWeights = Variable(try Tensor(shape: [rows, pixels], scalars: weight))
        let z = Variable(try Tensor(shape: [rows, dimension], scalars: initial), requiresGradient: true)
        let optimizer = Adam(parameters: [z], learningRate: options.learningRate)
        let lambda = options.perceptualWeight
        // Frozen networks: the sweep computes gradients for z only, no weight-gradient products.
        try model.generator.withFrozenParameters {
            try model.discriminator.withFrozenParameters {
                for _ in 0..<options.iterations {
                    z.zeroGradient()
                    let images = try model.generator(z)
                    let residual = try (images.reshaped([rows, pixels]) - target) * pixelWeights
                    var loss: Variable
                    switch options.contextualLoss {
                    case .l1: loss = try residual.apply(.leakyRelu(slope: -1)).sum()
                    case .l2: loss = try residual.squared().sum() * 0.5
                    }
                    if lambda > 0 { loss = try loss + (-model.discriminator(images)).softplus().sum() * lambda }
                    try loss.backward()
                    optimizer.step()
                }
            }
        }
        return try withoutGradient { try model.generator(Variable(z.value)).value }
    }
}
