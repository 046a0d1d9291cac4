import Foundation
import NPETensor
import NPESupport

/// Per-column affine standardisation of the observation x and of the unconstrained θ (u = T(θ)), with
/// statistics from the training data, stored with the model:
///
///   x̃ = (x − μₓ)/sₓ,   ũ = (u − μᵤ)/sᵤ,   log q(u) = log q(ũ) − Σ log sᵤ.
///
/// A column with zero spread gets scale 1 (it carries no information, and dividing by 0 would poison the
/// network). σ, when it is an input, is fed as σ/sₓ: the noise in the same units as x̃. Context inputs are
/// standardised after their ``ContextTransform``: c̃ = (f(c) − μ_c)/s_c.
public struct Standardization: Equatable, Sendable {
    public var xMean: [Float]
    public var xScale: [Float]
    public var thetaMean: [Float]
    public var thetaScale: [Float]
    /// A entries each (empty without context inputs), in the transformed space.
    public var contextMean: [Float]
    public var contextScale: [Float]

    public init(xMean: [Float], xScale: [Float], thetaMean: [Float], thetaScale: [Float],
                contextMean: [Float] = [], contextScale: [Float] = []) {
        self.xMean = xMean
        self.xScale = xScale
        self.thetaMean = thetaMean
        self.thetaScale = thetaScale
        self.contextMean = contextMean
        self.contextScale = contextScale
    }

    /// The identity standardisation for D parameters and M observed values.
    public static func identity(thetaCount: Int, xCount: Int, contextCount: Int = 0) -> Standardization {
        Standardization(xMean: .init(repeating: 0, count: xCount), xScale: .init(repeating: 1, count: xCount),
                        thetaMean: .init(repeating: 0, count: thetaCount), thetaScale: .init(repeating: 1, count: thetaCount),
                        contextMean: .init(repeating: 0, count: contextCount), contextScale: .init(repeating: 1, count: contextCount))
    }

    /// Column means and standard deviations (in Double) of θ mapped by `supports`, of x, and of the context
    /// `[n, A]` mapped by `contextTransforms`.
    ///
    /// - Throws: ``EstimatorError`` for wrong widths, non-finite values, θ outside its support, or a context value
    ///   outside its transform's domain.
    public static func fit(theta: Tensor, x: Tensor, context: Tensor? = nil, supports: [SupportBijection],
                           contextTransforms: [ContextTransform] = []) throws -> Standardization {
        let u = try NeuralPosteriorEstimator.unconstrained(theta, supports: supports, argument: "theta")
        try NeuralPosteriorEstimator.checkMatrix(x, width: x.shape.last ?? 0, argument: "x")
        let (tm, ts) = columnMoments(u.values)
        let (xm, xs) = columnMoments(x)
        var cm = [Float](), cs = [Float]()
        if !contextTransforms.isEmpty {
            guard let context else { throw EstimatorError.contextMismatch(expected: contextTransforms.count, got: 0) }
            let mapped = try NeuralPosteriorEstimator.transformedContext(context, transforms: contextTransforms)
            (cm, cs) = columnMoments(mapped)
        } else if let context, context.shape.last ?? 0 > 0 {
            throw EstimatorError.contextMismatch(expected: 0, got: context.shape.last ?? 0)
        }
        return Standardization(xMean: xm, xScale: xs, thetaMean: tm, thetaScale: ts, contextMean: cm, contextScale: cs)
    }

    static func columnMoments(_ t: Tensor) -> ([Float], [Float]) {
        let n = t.shape[0], m = t.shape[1]
        var mean = [Double](repeating: 0, count: m), square = [Double](repeating: 0, count: m)
        for r in 0..<n { for c in 0..<m { mean[c] += Double(t.scalars[r * m + c]) } }
        for c in 0..<m { mean[c] /= Double(max(n, 1)) }
        for r in 0..<n { for c in 0..<m { let v = Double(t.scalars[r * m + c]) - mean[c]; square[c] += v * v } }
        let scale = square.map { s -> Float in
            let sd = (s / Double(max(n - 1, 1))).squareRoot()
            return sd > 1e-12 && sd.isFinite ? Float(sd) : 1
        }
        return (mean.map { Float($0) }, scale)
    }

    /// The named tensors saved with the weights.
    public var tensors: [String: Tensor] {
        var result = ["standardization.x.mean": Tensor(vector: xMean), "standardization.x.scale": Tensor(vector: xScale),
                      "standardization.theta.mean": Tensor(vector: thetaMean), "standardization.theta.scale": Tensor(vector: thetaScale)]
        if !contextMean.isEmpty {
            result["standardization.context.mean"] = Tensor(vector: contextMean)
            result["standardization.context.scale"] = Tensor(vector: contextScale)
        }
        return result
    }

    /// Reads what ``tensors`` wrote, checking sizes.
    public init(tensors: [String: Tensor], thetaCount: Int, xCount: Int, contextCount: Int = 0) throws {
        func read(_ name: String, _ count: Int) throws -> [Float] {
            guard let t = tensors["standardization.\(name)"] else { throw EstimatorError.invalidStandardization("missing standardization.\(name)") }
            guard t.count == count, !t.hasNonFinite else {
                throw EstimatorError.invalidStandardization("standardization.\(name) needs \(count) finite values, has shape \(t.shape)")
            }
            return t.scalars
        }
        self.init(xMean: try read("x.mean", xCount), xScale: try read("x.scale", xCount),
                  thetaMean: try read("theta.mean", thetaCount), thetaScale: try read("theta.scale", thetaCount),
                  contextMean: contextCount > 0 ? try read("context.mean", contextCount) : [],
                  contextScale: contextCount > 0 ? try read("context.scale", contextCount) : [])
        if xScale.contains(where: { $0 <= 0 }) || thetaScale.contains(where: { $0 <= 0 }) || contextScale.contains(where: { $0 <= 0 }) {
            throw EstimatorError.invalidStandardization("scales must be positive")
        }
    }
}

extension Tensor {
    /// A rank-1 tensor.
    init(vector: [Float]) { try! self.init(shape: [vector.count], scalars: vector) }
}
