import Foundation
import NPENN
import NPETensor
import NPESupport

/// The amortised posterior q(θ | x) of neural posterior estimation: an embedding network, a conditional flow on
/// the standardised unconstrained parameters, and the maps back to θ's support.
///
/// Density, for θ inside its support (u = T(θ) elementwise, ũ = (u − μᵤ)/sᵤ, c = [embed(x̃[, σ̃]), c̃ₐ] where c̃ₐ
/// are the standardised auxiliary context inputs, see ``ContextTransform``):
///
///   log q(θ | x) = log q_flow(ũ | c) − Σ_d log s_{u,d} + Σ_d log T_d′(θ_d),
///
/// a density in θ's own space. Training minimises −mean log q(θ | x) over pairs from the joint p(θ) p(x | θ),
/// which is minimised when q(θ | x) = p(θ | x) (Papamakarios & Murray 2016, arXiv:1605.06376; Greenberg, Nonnenmacher
/// & Macke 2019, arXiv:1905.07488).
///
/// Bad input: a θ, x, σ or context of the wrong width, a NaN or infinity anywhere, a non-positive σ, or σ given to a
/// model without a noise-level input (or missing from one with it) throws ``EstimatorError``. A θ outside the
/// prior's support has log q = −∞ in ``logProbability(of:given:sigma:)`` (it is impossible under q, since
/// samples never leave the support); in ``loss(theta:x:sigma:)`` it is an error, because training data must
/// come from the prior.
///
/// Masked bins (``EstimatorArchitecture/maskInput``): an estimator trained with mask augmentation reads a third
/// kind of input, `observed` `[n, M]` (1 = observed, 0 = missing). Its network input per bin is
/// (x̃ · o, [σ̃ · o,] o): a missing bin is set to 0 after standardisation (the training mean, so it carries no
/// value) and the mask channel says it is missing, so the network can tell "missing" from "at the mean". Values
/// of x and σ at missing bins are ignored and may be NaN. When training masks are drawn independently of θ and x
/// (missing completely at random), the loss is minimised by q(θ | x_obs, o) = p(θ | x_obs): the posterior given
/// only the observed bins, for every mask the augmentation can draw (Wang, Hasenauer & Schälte 2024, "Missing
/// data in amortized simulation-based neural posterior estimation", PLOS Comput. Biol.). `observed` nil means
/// every bin is observed. An estimator without a mask input refuses a mask with a missing bin
/// (``EstimatorError/maskUnsupported(row:column:)``) rather than imputing silently.
///
/// Saved state: ``tensorDictionary()`` (weights `embedding.*`, `flow.*` and `standardization.*`) plus the
/// Codable ``architecture``; ``init(architecture:tensors:)`` rebuilds the estimator from the two.
public final class NeuralPosteriorEstimator: Module {
    public let architecture: EstimatorArchitecture
    public private(set) var standardization: Standardization
    public let embedding: any EmbeddingNetwork
    public let flow: ConditionalFlow

    /// A fresh estimator, weights initialised from `stream`.
    public init(architecture: EstimatorArchitecture, standardization: Standardization, stream: RandomStream) throws {
        try architecture.validate()
        try Self.checkSizes(standardization, architecture)
        self.architecture = architecture
        self.standardization = standardization
        embedding = try architecture.embedding.makeNetwork(inputCount: architecture.xCount,
                                                           inputChannels: architecture.inputChannels, stream: stream.child(1))
        flow = try ConditionalFlow(architecture: architecture.flow, stream: stream.child(2))
    }

    /// Rebuilds a saved estimator.
    public convenience init(architecture: EstimatorArchitecture, tensors: [String: Tensor]) throws {
        let standardization = try Standardization(tensors: tensors, thetaCount: architecture.thetaCount, xCount: architecture.xCount,
                                                  contextCount: architecture.contextCount)
        try self.init(architecture: architecture, standardization: standardization, stream: RandomStream(seed: 0))
        try load(tensors.filter { !$0.key.hasPrefix("standardization.") })
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        prefixed("embedding", embedding) + prefixed("flow", flow)
    }

    /// Weights and standardisation as one flat named-tensor dictionary.
    public func tensorDictionary() -> [String: Tensor] {
        parameterDictionary().merging(standardization.tensors) { a, _ in a }
    }

    /// Replaces the standardisation (the trainer sets it from the training set before the first step).
    public func setStandardization(_ new: Standardization) throws {
        try Self.checkSizes(new, architecture)
        standardization = new
    }

    static func checkSizes(_ standardization: Standardization, _ architecture: EstimatorArchitecture) throws {
        guard standardization.thetaMean.count == architecture.thetaCount, standardization.xMean.count == architecture.xCount,
              standardization.contextMean.count == architecture.contextCount else {
            throw EstimatorError.invalidStandardization(
                "sizes disagree with D = \(architecture.thetaCount), M = \(architecture.xCount), A = \(architecture.contextCount)")
        }
    }

    // MARK: Density and loss

    /// −mean log q(θ | x) over the batch, recorded for backpropagation. θ `[n, D]`, x and σ `[n, M]`, context
    /// `[n, A]` (required exactly when the architecture has context inputs).
    public func loss(theta: Tensor, x: Tensor, sigma: Tensor? = nil, observed: Tensor? = nil, context: Tensor? = nil) throws -> Variable {
        try -recordedLogProbability(of: theta, given: x, sigma: sigma, observed: observed, context: context).mean()
    }

    /// log q(θ | x) `[n]`, recorded for backpropagation: the per-row terms of
    /// ``loss(theta:x:sigma:observed:context:)``, for objectives that weigh rows or evaluate q at other rows' θ
    /// (atomic APT). θ must lie inside its support.
    public func recordedLogProbability(of theta: Tensor, given x: Tensor, sigma: Tensor? = nil, observed: Tensor? = nil,
                                       context: Tensor? = nil) throws -> Variable {
        let (u, logDerivative) = try Self.unconstrained(theta, supports: architecture.thetaSupports, argument: "theta")
        return try recordedLogProbability(unconstrained: u, logDerivative: logDerivative, x: x, sigma: sigma,
                                          observed: observed, context: context)
    }

    /// log q(θ | x) `[n]`, gradient-free. x (and σ, the observed mask, context) have n rows, or one row shared by
    /// every θ. Rows with θ outside the support get −∞.
    public func logProbability(of theta: Tensor, given x: Tensor, sigma: Tensor? = nil, observed: Tensor? = nil,
                               context: Tensor? = nil) throws -> Tensor {
        try Self.checkMatrix(theta, width: architecture.thetaCount, argument: "theta")
        let n = theta.shape[0], d = architecture.thetaCount
        let inside = (0..<n).map { r in (0..<d).allSatisfy { architecture.thetaSupports[$0].contains(Double(theta[r, $0])) } }
        // Rows outside are evaluated at a valid stand-in (the support's centre) and then set to −∞.
        var valid = theta
        for r in 0..<n where !inside[r] {
            for j in 0..<d { valid[r, j] = architecture.thetaSupports[j].floatInverse(0).theta }
        }
        var xs = x, ss = sigma, os = observed, cs = context
        if x.rank == 2, x.shape[0] == 1, n != 1 {
            let shared = Array(repeating: 0, count: n)
            xs = try x.gatherRows(shared)
            ss = try sigma.map { try $0.gatherRows(shared) }
            os = try observed.map { try $0.rank == 2 && $0.shape[0] == 1 ? $0.gatherRows(shared) : $0 }
            cs = try context.map { try $0.rank == 2 && $0.shape[0] == 1 ? $0.gatherRows(shared) : $0 }
        }
        let (u, logDerivative) = try Self.unconstrained(valid, supports: architecture.thetaSupports, argument: "theta")
        var result = try withoutGradient {
            try recordedLogProbability(unconstrained: u, logDerivative: logDerivative, x: xs, sigma: ss, observed: os, context: cs).value
        }
        for r in 0..<n where !inside[r] { result[scalarAt: r] = -.infinity }
        return result
    }

    func recordedLogProbability(unconstrained u: Tensor, logDerivative: [Float], x: Tensor, sigma: Tensor?, observed: Tensor?,
                                context auxiliary: Tensor?) throws -> Variable {
        let n = u.shape[0], d = architecture.thetaCount
        guard x.rank == 2, x.shape[0] == n else { throw EstimatorError.rowCountMismatch(argument: "x", expected: n, got: x.shape.first ?? 0) }
        let context = try flowContext(x: x, sigma: sigma, observed: observed, context: auxiliary)
        var standardized = u
        var constant = [Float](repeating: 0, count: n)
        let logScale = standardization.thetaScale.reduce(Float(0)) { $0 + logf($1) }
        for r in 0..<n {
            for j in 0..<d {
                standardized[r, j] = (u[r, j] - standardization.thetaMean[j]) / standardization.thetaScale[j]
            }
            constant[r] = logDerivative[r] - logScale
        }
        let logq = try flow.logProbability(of: Variable(standardized), given: context)
        return try logq + Variable(Tensor(vector: constant))
    }

    // MARK: Sampling

    /// S samples of θ for each of T observations, with their log q, in one call (no gradients recorded).
    /// Samples lie strictly inside θ's support by construction.
    ///
    /// - Parameters: x, σ and the observed mask `[T, M]`, context `[T, A]`; `workers` threads share the sample
    ///   grid (see ``ConditionalFlow/sample(given:count:stream:chunkRows:workers:)``).
    /// - Returns: θ `[T, S, D]` and log q(θ | x) `[T, S]`.
    public func sample(given x: Tensor, sigma: Tensor? = nil, observed: Tensor? = nil, context auxiliary: Tensor? = nil, count: Int,
                       stream: RandomStream, workers: Int = 1) throws -> (theta: Tensor, logProbability: Tensor)
    {
        let context = try withoutGradient { try flowContext(x: x, sigma: sigma, observed: observed, context: auxiliary).value }
        var (samples, logq) = try flow.sample(given: context, count: count, stream: stream, workers: workers)
        let d = architecture.thetaCount, rows = logq.count
        let logScale = standardization.thetaScale.reduce(Float(0)) { $0 + logf($1) }
        samples.withUnsafeMutableScalars { s in
            logq.withUnsafeMutableScalars { lq in
                for r in 0..<rows {
                    var total = 0.0
                    for j in 0..<d {
                        let u = Double(s[r * d + j]) * Double(standardization.thetaScale[j]) + Double(standardization.thetaMean[j])
                        let (theta, logDerivative) = architecture.thetaSupports[j].floatInverse(u)
                        s[r * d + j] = theta
                        total += logDerivative
                    }
                    lq[r] += Float(total) - logScale
                }
            }
        }
        return (samples, logq)
    }

    // MARK: Input preparation and checks

    /// The flow's context `[n, C]`: the embedding of x̃ (and σ̃), followed by the standardised context inputs.
    func flowContext(x: Tensor, sigma: Tensor?, observed: Tensor?, context: Tensor?) throws -> Variable {
        let embedded = try embedding(Variable(networkInput(x: x, sigma: sigma, observed: observed)))
        // Finite but extreme inputs (a spectrum 1e30 standard deviations from the training data) overflow Float
        // inside the network; a NaN context would then reach the flow's kernels. Refuse the row instead.
        if let index = embedded.value.scalars.firstIndex(where: { !$0.isFinite }) {
            throw EstimatorError.inputOverflow(row: index / max(embedded.value.shape.last ?? 1, 1))
        }
        let a = architecture.contextCount
        guard a > 0 else {
            if let context, context.rank == 2, context.shape[1] > 0 { throw EstimatorError.contextMismatch(expected: 0, got: context.shape[1]) }
            return embedded
        }
        guard let context else { throw EstimatorError.contextMismatch(expected: a, got: 0) }
        guard context.rank == 2, context.shape[1] == a else { throw EstimatorError.contextMismatch(expected: a, got: context.shape.last ?? 0) }
        let n = x.shape[0]
        guard context.shape[0] == n else { throw EstimatorError.rowCountMismatch(argument: "context", expected: n, got: context.shape[0]) }
        var mapped = try Self.transformedContext(context, transforms: architecture.contextTransforms)
        for r in 0..<n {
            for j in 0..<a { mapped[r, j] = (mapped[r, j] - standardization.contextMean[j]) / standardization.contextScale[j] }
        }
        return try Variable.concatenateColumns([embedded, Variable(mapped)])
    }

    /// Context `[n, A]` mapped column by column; throws for a non-finite value or one outside a transform's domain.
    static func transformedContext(_ context: Tensor, transforms: [ContextTransform]) throws -> Tensor {
        try checkMatrix(context, width: transforms.count, argument: "context")
        var mapped = context
        for r in 0..<context.shape[0] {
            for j in 0..<transforms.count {
                guard let value = transforms[j].apply(context[r, j]) else {
                    throw EstimatorError.invalidContext(row: r, column: j, value: context[r, j])
                }
                mapped[r, j] = value
            }
        }
        return mapped
    }

    /// The embedding's input `[n, M·channels]`: per bin x̃, then σ/sₓ with a noise-level input, then the mask
    /// with a mask input; x̃ and σ̃ are 0 at missing bins (whose x and σ are not read, so they may be NaN).
    func networkInput(x: Tensor, sigma: Tensor?, observed: Tensor?) throws -> Tensor {
        let m = architecture.xCount
        guard x.rank == 2, x.shape[1] == m else { throw EstimatorError.wrongWidth(argument: "x", expected: m, shape: x.shape) }
        guard (sigma != nil) == architecture.noiseLevelInput else { throw EstimatorError.noiseLevelMismatch(expected: architecture.noiseLevelInput) }
        let n = x.shape[0], channels = architecture.inputChannels
        let mask = try observedMask(observed, rows: n)
        if let sigma {
            guard sigma.rank == 2, sigma.shape[1] == m else { throw EstimatorError.wrongWidth(argument: "sigma", expected: m, shape: sigma.shape) }
            guard sigma.shape[0] == n else { throw EstimatorError.rowCountMismatch(argument: "sigma", expected: n, got: sigma.shape[0]) }
        }
        var input = Tensor.zeros([n, m * channels])
        for r in 0..<n {
            for c in 0..<m {
                if let mask {
                    input[r, c * channels + channels - 1] = mask[r * m + c] ? 1 : 0
                    if !mask[r * m + c] { continue }
                }
                guard x[r, c].isFinite else { throw EstimatorError.nonFinite(argument: "x", row: r, column: c) }
                input[r, c * channels] = (x[r, c] - standardization.xMean[c]) / standardization.xScale[c]
                if let sigma {
                    let value = sigma[r, c]
                    guard value.isFinite else { throw EstimatorError.nonFinite(argument: "sigma", row: r, column: c) }
                    guard value > 0 else { throw EstimatorError.nonPositiveNoiseLevel(row: r, column: c, value: value) }
                    input[r, c * channels + 1] = value / standardization.xScale[c]
                }
            }
        }
        return input
    }

    /// The observed mask as n·M flags, nil for a model without a mask input (every bin observed).
    ///
    /// - Throws: ``EstimatorError`` for a mask of the wrong shape, an entry other than 0 or 1, or (for a model
    ///   without a mask input) a missing bin.
    func observedMask(_ observed: Tensor?, rows n: Int) throws -> [Bool]? {
        let m = architecture.xCount
        guard let observed else { return architecture.maskInput ? [Bool](repeating: true, count: n * m) : nil }
        guard observed.rank == 2, observed.shape[1] == m else {
            throw EstimatorError.wrongWidth(argument: "observed", expected: m, shape: observed.shape)
        }
        guard observed.shape[0] == n else { throw EstimatorError.rowCountMismatch(argument: "observed", expected: n, got: observed.shape[0]) }
        let values = observed.scalars
        if let bad = values.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw EstimatorError.invalidMask(row: bad / m, column: bad % m, value: values[bad])
        }
        if !architecture.maskInput {
            if let missing = values.firstIndex(of: 0) { throw EstimatorError.maskUnsupported(row: missing / m, column: missing % m) }
            return nil
        }
        return values.map { $0 == 1 }
    }

    /// Throws unless `t` is `[n, width]` and finite.
    static func checkMatrix(_ t: Tensor, width: Int, argument: String) throws {
        guard t.rank == 2, t.shape[1] == width else { throw EstimatorError.wrongWidth(argument: argument, expected: width, shape: t.shape) }
        if let index = t.scalars.firstIndex(where: { !$0.isFinite }) {
            throw EstimatorError.nonFinite(argument: argument, row: index / max(width, 1), column: index % max(width, 1))
        }
    }

    /// u = T(θ) `[n, D]` and Σ log T′ per row; θ must lie inside the support.
    static func unconstrained(_ theta: Tensor, supports: [SupportBijection], argument: String) throws -> (values: Tensor, logDerivative: [Float]) {
        let d = supports.count
        try checkMatrix(theta, width: d, argument: argument)
        let n = theta.shape[0]
        var u = theta
        var logDerivative = [Float](repeating: 0, count: n)
        for r in 0..<n {
            var total = 0.0
            for j in 0..<d {
                let value = Double(theta[r, j])
                guard supports[j].contains(value) else { throw EstimatorError.thetaOutsideSupport(row: r, column: j, value: theta[r, j]) }
                let (mapped, ld) = supports[j].forwardWithLogDerivative(value)
                u[r, j] = Float(mapped)
                total += ld
            }
            logDerivative[r] = Float(total)
        }
        return (u, logDerivative)
    }
}
