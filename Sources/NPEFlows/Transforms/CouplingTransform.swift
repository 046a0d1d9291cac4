import NPENN
import NPETensor
import NPESupport

/// A coupling transform (Dinh, Sohl-Dickstein & Bengio 2017, arXiv:1605.08803; with splines, Durkan et al.
/// 2019, arXiv:1906.04032): the first A = ⌊D/2⌋ dimensions pass unchanged and condition, with the context, an
/// ``ElementwiseTransform`` of the other D − A:
///
///   y_{<A} = x_{<A},   y_{≥A} = g(x_{≥A}; φ),   φ = MLP([x_{<A}, c]).
///
/// Both directions are one network pass, which is what makes a coupling flow sample fast: D/2-dimensional
/// dependence per layer instead of D sequential passes. Alternate which half passes (a ``Permutation`` between
/// layers) so every dimension is transformed.
///
/// Parameters: `network.layers.<i>.weight|bias`.
public final class CouplingTransform<Univariate: ElementwiseTransform>: FlowTransform {
    public let featureCount: Int
    public let contextCount: Int
    /// A, the number of dimensions that pass unchanged.
    public let identityCount: Int
    public let univariate: Univariate
    let network: MLP

    /// - Throws: ``ModuleError/invalidConfiguration(_:)`` for D < 2 or an empty hidden width list.
    public init(featureCount: Int, contextCount: Int, hiddenWidths: [Int], activation: Activation = .relu,
                univariate: Univariate, stream: RandomStream) throws {
        guard featureCount >= 2, contextCount >= 0, !hiddenWidths.isEmpty else {
            throw ModuleError.invalidConfiguration(
                "coupling transform needs D ≥ 2, C ≥ 0 and hidden layers; got D \(featureCount), C \(contextCount), hidden \(hiddenWidths)")
        }
        self.featureCount = featureCount
        self.contextCount = contextCount
        identityCount = featureCount / 2
        self.univariate = univariate
        let outputs = (featureCount - identityCount) * univariate.parameterCount
        network = try MLP(sizes: [identityCount + contextCount] + hiddenWidths + [outputs], activation: activation, stream: stream)
        // Start near the identity map, as ``AutoregressiveTransform`` does.
        let last = network.layers[network.layers.count - 1]
        try last.weight.assign(last.weight.value * 0.1)
        if let bias = last.bias { try bias.assign(bias.value * 0.1) }
    }

    public var namedParameters: [(name: String, parameter: Variable)] { prefixed("network", network) }

    public func forwardAndLogAbsDet(_ x: Variable, context: Variable) throws -> (y: Variable, logAbsDet: Variable) {
        try checkShapes(x.shape, context.shape, op: "CouplingTransform")
        let passed = try x.sliceColumns(0..<identityCount)
        let changed = try x.sliceColumns(identityCount..<featureCount)
        let input = contextCount > 0 ? try Variable.concatenateColumns([passed, context]) : passed
        let (y, logAbsDet) = try univariate.apply(changed, parameters: network(input))
        return (try Variable.concatenateColumns([passed, y]), logAbsDet)
    }

    public func makeInverter(context: Tensor) throws -> any TransformInverter {
        guard context.rank == 2, context.shape[1] == contextCount else {
            throw TensorError.shapeMismatch(op: "CouplingTransform inverse (context [T, \(contextCount)])",
                                            lhs: context.shape, rhs: [featureCount])
        }
        return try CouplingInverter(transform: self, context: context)
    }
}

/// The one-pass inverse of a ``CouplingTransform``; the context's share of the first layer is computed once per
/// context row.
struct CouplingInverter<Univariate: ElementwiseTransform>: TransformInverter {
    let transform: CouplingTransform<Univariate>
    /// c·W_c + b₁ per context row, `[T, H₁]`.
    let contextTerm: Tensor
    /// The rows of W₁ that multiply x_{<A}, `[A, H₁]`.
    let passedWeight: Tensor

    init(transform: CouplingTransform<Univariate>, context: Tensor) throws {
        self.transform = transform
        let first = transform.network.layers[0], a = transform.identityCount
        let weight = first.weight.value, width = weight.shape[1]
        passedWeight = try Tensor(shape: [a, width], scalars: Array(weight.scalars[0..<(a * width)]))
        let contextWeight = try Tensor(shape: [transform.contextCount, width], scalars: Array(weight.scalars[(a * width)...]))
        contextTerm = try Tensor.affine(context, weight: contextWeight, bias: first.bias?.value)
    }

    func inverse(_ y: Tensor, firstRow: Int, repeats: Int) throws -> (x: Tensor, logAbsDet: Tensor) {
        let n = y.shape[0], d = transform.featureCount, a = transform.identityCount
        let passed = try y.sliceColumns(0..<a)
        var h = try Tensor.matmul(passed, passedWeight)
        let width = h.shape[1]
        h.withUnsafeMutableScalars { hs in
            contextTerm.scalars.withUnsafeBufferPointer { term in
                for r in 0..<n {
                    let source = ((firstRow + r) / repeats) * width
                    for k in 0..<width { hs[r * width + k] += term[source + k] }
                }
            }
        }
        let layers = transform.network.layers, activation = transform.network.activation
        h.withUnsafeMutableScalars { activation.apply($0.baseAddress!, rows: n, stride: width, columns: 0..<width) }
        for (i, layer) in layers.enumerated().dropFirst() {
            h = try Tensor.affine(h, weight: layer.weight.value, bias: layer.bias?.value)
            if i < layers.count - 1 {
                let w = h.shape[1]
                h.withUnsafeMutableScalars { activation.apply($0.baseAddress!, rows: n, stride: w, columns: 0..<w) }
            }
        }
        var x = y, logAbsDet = Tensor.zeros([n])
        let changed = d - a
        // The changed columns in one contiguous block (their parameters already are), inverted in one call.
        var block = [Float](repeating: 0, count: n * changed), logDerivatives = block
        x.withUnsafeMutableScalars { xs in
            logAbsDet.withUnsafeMutableScalars { ld in
                h.scalars.withUnsafeBufferPointer { ps in
                    for r in 0..<n { for j in 0..<changed { block[r * changed + j] = xs[r * d + a + j] } }
                    block.withUnsafeMutableBufferPointer { b in
                        transform.univariate.inverse(count: n * changed, y: b.baseAddress!, parameters: ps.baseAddress!,
                                                     x: b.baseAddress!, logDerivative: &logDerivatives)
                    }
                    for r in 0..<n {
                        for j in 0..<changed {
                            xs[r * d + a + j] = block[r * changed + j]
                            ld[r] += logDerivatives[r * changed + j]
                        }
                    }
                }
            }
        }
        return (x, logAbsDet)
    }
}
