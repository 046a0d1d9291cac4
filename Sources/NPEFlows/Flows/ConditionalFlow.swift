import Foundation
import NPENN
import NPETensor
import NPESupport

/// A conditional normalizing flow q(θ | c) over a standard-normal base:
///
///   log q(θ | c) = log N(f(θ; c); 0, I) + log|det ∂f/∂θ|,   f = f_K ∘ … ∘ f₁,
///
/// and θ = f⁻¹(z; c) with z ~ N(0, I) to sample (Papamakarios et al. 2021, "Normalizing Flows for Probabilistic
/// Modeling and Inference", arXiv:1912.02762). MAF, NSF and coupling NSF are this one type with different
/// layers (see ``FlowArchitecture/Kind``), built by ``init(architecture:stream:)``.
///
/// Parameters: `transforms.<i>.…`.
public final class ConditionalFlow: FlowTransform {
    public let transforms: [any FlowTransform]
    public let featureCount: Int
    public let contextCount: Int

    /// A flow from explicit layers (all with the same D and C).
    public init(transforms: [any FlowTransform]) throws {
        guard let first = transforms.first,
              transforms.allSatisfy({ $0.featureCount == first.featureCount && $0.contextCount == first.contextCount })
        else { throw ModuleError.invalidConfiguration("a flow needs at least one transform, all with the same D and C") }
        self.transforms = transforms
        featureCount = first.featureCount
        contextCount = first.contextCount
    }

    /// The flow an architecture describes, initialised from `stream`: `transforms` layers of the kind's
    /// transform with a reversal between consecutive ones.
    public convenience init(architecture a: FlowArchitecture, stream: RandomStream) throws {
        guard a.transforms >= 1 else { throw ModuleError.invalidConfiguration("transforms must be ≥ 1, got \(a.transforms)") }
        guard a.bins >= 2 || a.kind == .maf, a.tailBound > 0 else {
            throw ModuleError.invalidConfiguration("spline needs ≥ 2 bins and a positive tail bound; got \(a.bins), \(a.tailBound)")
        }
        var layers: [any FlowTransform] = []
        let spline = RationalQuadraticSpline(bins: a.bins, bound: a.tailBound)
        for i in 0..<a.transforms {
            if i > 0 { layers.append(try Permutation.reversal(featureCount: a.featureCount, contextCount: a.contextCount)) }
            let s = stream.child(UInt64(i))
            switch a.kind {
            case .maf:
                layers.append(try AutoregressiveTransform(
                    featureCount: a.featureCount, contextCount: a.contextCount, hiddenWidths: a.hiddenWidths,
                    activation: a.activation, univariate: MonotonicAffine(logScaleBound: a.logScaleBound), stream: s))
            case .nsf:
                layers.append(try AutoregressiveTransform(
                    featureCount: a.featureCount, contextCount: a.contextCount, hiddenWidths: a.hiddenWidths,
                    activation: a.activation, univariate: spline, stream: s))
            case .nsfc:
                layers.append(try CouplingTransform(
                    featureCount: a.featureCount, contextCount: a.contextCount, hiddenWidths: a.hiddenWidths,
                    activation: a.activation, univariate: spline, stream: s))
            }
        }
        try self.init(transforms: layers)
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        transforms.enumerated().flatMap { prefixed("transforms.\($0.offset)", $0.element) }
    }

    /// z = f(θ; c) and log|det ∂f/∂θ| `[n]`, recorded.
    public func forwardAndLogAbsDet(_ theta: Variable, context: Variable) throws -> (y: Variable, logAbsDet: Variable) {
        var z = theta
        var total: Variable?
        for transform in transforms {
            let (y, ladj) = try transform.forwardAndLogAbsDet(z, context: context)
            z = y
            total = try total.map { try $0 + ladj } ?? ladj
        }
        return (z, total!)
    }

    /// The inverse of the whole stack (the layers' inverters in reverse order).
    public func makeInverter(context: Tensor) throws -> any TransformInverter {
        FlowInverter(inverters: try transforms.map { try $0.makeInverter(context: context) })
    }

    /// log q(θ | c) for θ `[n, D]` and c `[n, C]`, as `[n]`, recorded (the training loss is its negated mean).
    public func logProbability(of theta: Variable, given context: Variable) throws -> Variable {
        let (z, logAbsDet) = try forwardAndLogAbsDet(theta, context: context)
        let base = try z.squared().sum(alongAxis: 1) * -0.5 + Self.logNormalizer(featureCount)
        return try base + logAbsDet
    }

    /// −(D/2) log 2π.
    static func logNormalizer(_ d: Int) -> Float { -0.5 * Float(d) * logf(2 * .pi) }

    /// Draws `count` samples for each of T contexts in one call, without recording gradients.
    ///
    /// Row r of the sample grid (context r / S, sample r mod S) uses normal draws r·D ..< (r+1)·D of `stream`,
    /// so results do not depend on `chunkRows` or `workers`. Work runs in chunks of `chunkRows` rows (so the
    /// activations stay in cache) on `workers` threads; context-only work is done once per context.
    ///
    /// - Parameters:
    ///   - context: `[T, C]`.
    ///   - count: S, samples per context.
    /// - Returns: samples `[T, S, D]` and their log q `[T, S]`.
    public func sample(
        given context: Tensor, count: Int, stream: RandomStream, chunkRows: Int = 512, workers: Int = 1
    ) throws -> (samples: Tensor, logProbability: Tensor) {
        guard context.rank == 2, context.shape[1] == contextCount, count >= 0 else {
            throw TensorError.shapeMismatch(op: "ConditionalFlow.sample (context [T, \(contextCount)])", lhs: context.shape, rhs: [count])
        }
        let d = featureCount, total = context.shape[0] * count
        let inverter = try withoutGradient { try makeInverter(context: context) }
        var samples = [Float](repeating: 0, count: total * d)
        var logq = [Float](repeating: 0, count: total)
        let chunk = max(1, chunkRows), chunks = (total + chunk - 1) / chunk
        var failure: Error?
        let lock = NSLock()
        samples.withUnsafeMutableBufferPointer { out in
            logq.withUnsafeMutableBufferPointer { lq in
                nonisolated(unsafe) let out = out, lq = lq
                DispatchQueue.concurrentPerform(iterations: max(1, min(workers, chunks))) { worker in
                    var index = worker
                    while index < chunks {
                        do {
                            try withoutGradient {
                                let first = index * chunk, rows = min(chunk, total - first)
                                var z = stream.normalTensor([rows, d], startingAt: UInt64(first * d))
                                var logDensity = [Float](repeating: Self.logNormalizer(d), count: rows)
                                for r in 0..<rows {
                                    for j in 0..<d { logDensity[r] -= 0.5 * z.scalars[r * d + j] * z.scalars[r * d + j] }
                                }
                                let (x, ladj) = try inverter.inverse(z, firstRow: first, repeats: count)
                                z = x
                                for r in 0..<rows { logDensity[r] += ladj.scalars[r] }
                                for i in 0..<(rows * d) { out[first * d + i] = z.scalars[i] }
                                for r in 0..<rows { lq[first + r] = logDensity[r] }
                            }
                        } catch {
                            lock.lock(); failure = failure ?? error; lock.unlock()
                        }
                        index += max(1, min(workers, chunks))
                    }
                }
            }
        }
        if let failure { throw failure }
        return (try Tensor(shape: [context.shape[0], count, d], scalars: samples),
                try Tensor(shape: [context.shape[0], count], scalars: logq))
    }
}

/// Inverts a stack: the last layer first; log-determinants add.
struct FlowInverter: TransformInverter {
    let inverters: [any TransformInverter]

    func inverse(_ y: Tensor, firstRow: Int, repeats: Int) throws -> (x: Tensor, logAbsDet: Tensor) {
        var x = y
        var total = Tensor.zeros([y.shape[0]])
        for inverter in inverters.reversed() {
            let (previous, logAbsDet) = try inverter.inverse(x, firstRow: firstRow, repeats: repeats)
            x = previous
            total.withUnsafeMutableScalars { t in for r in 0..<t.count { t[r] += logAbsDet.scalars[r] } }
        }
        return (x, total)
    }
}
