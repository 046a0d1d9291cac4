import NPENN
import NPETensor

/// The inverse of an ``AutoregressiveTransform`` in one sweep over the dimensions, computing every hidden unit
/// exactly once.
///
/// A naive inverse runs the whole MADE D times (pass d recovers x_d). Here the work that depends only on the
/// context is done once per observation, and each pass computes only what is new:
/// - the context's share of the first layer, c·W_c + b, is computed once per context row (``contextTerm``), not
///   once per sample and pass;
/// - hidden units are sorted by degree (``AutoregressiveMasks``), and the units of degree d depend only on
///   x₀ … x_{d−1}, so pass d computes just the units of degree d in every hidden layer (column blocks, from the
///   column prefix below them) and then just the P outputs of dimension d;
/// - once x_d is known, its contribution to the first layer is added as a rank-1 update.
/// In total the hidden layers cost one forward pass instead of D, and the output layer less than one.
struct AutoregressiveInverter<Univariate: ElementwiseTransform>: TransformInverter {
    let featureCount: Int
    let parameterCount: Int
    let widths: [Int]
    /// Column blocks of each hidden layer by degree.
    let blocks: [[Range<Int>]]
    /// W ⊙ M of each layer, row-major `[inputs, outputs]`.
    let weights: [[Float]]
    let biases: [[Float]]
    /// c·W_c + b₁ for each context row, `[T, H₁]`.
    let contextTerm: [Float]
    let activation: Activation
    let univariate: Univariate

    init(transform: AutoregressiveTransform<Univariate>, context: Tensor) {
        featureCount = transform.featureCount
        parameterCount = transform.univariate.parameterCount
        widths = transform.hiddenWidths
        blocks = widths.map { transform.masks.blocks(width: $0) }
        weights = transform.layers.map { layer in
            zip(layer.weight.value.scalars, layer.mask.scalars).map { $0 * $1 }
        }
        biases = transform.layers.map { $0.bias.value.scalars }
        activation = transform.activation
        univariate = transform.univariate
        let rows = context.shape[0], h1 = widths[0], c = transform.contextCount, d = featureCount
        var term = [Float](repeating: 0, count: rows * h1)
        let bias = biases[0]
        for r in 0..<rows { for k in 0..<h1 { term[r * h1 + k] = bias[k] } }
        weights[0].withUnsafeBufferPointer { w in
            context.scalars.withUnsafeBufferPointer { ctx in
                term.withUnsafeMutableBufferPointer { t in
                    BLAS.multiply(ctx.baseAddress!, lda: c, w.baseAddress! + d * h1, ldb: h1,
                                                  into: t.baseAddress!, ldc: h1, m: rows, n: h1, k: c, accumulate: true)
                }
            }
        }
        contextTerm = term
    }

    func inverse(_ y: Tensor, firstRow: Int, repeats: Int) throws -> (x: Tensor, logAbsDet: Tensor) {
        let n = y.shape[0], d = featureCount, p = parameterCount
        guard y.rank == 2, y.shape[1] == d else {
            throw TensorError.shapeMismatch(op: "AutoregressiveTransform inverse", lhs: y.shape, rhs: [n, d])
        }
        var x = [Float](repeating: 0, count: n * d)
        var logAbsDet = [Float](repeating: 0, count: n)
        // One scratch block: the hidden layers' activations, the current dimension's parameters `[n, P]`, and a
        // column of y/x and of log-derivatives. Raw pointers in the loops below: they run per element.
        let layerStarts = widths.indices.map { l in n * widths[..<l].reduce(0, +) }
        let hiddenCount = n * widths.reduce(0, +)
        var scratch = [Float](repeating: 0, count: hiddenCount + n * p + 2 * n)
        x.withUnsafeMutableBufferPointer { xBuffer in
            logAbsDet.withUnsafeMutableBufferPointer { ldBuffer in
                scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                    y.scalars.withUnsafeBufferPointer { ys in
                        let hidden = layerStarts.map { scratchBuffer.baseAddress! + $0 }
                        let parameters = scratchBuffer.baseAddress! + hiddenCount
                        let column = parameters + n * p, logDerivatives = column + n
                        sweep(ys.baseAddress!, n: n, firstRow: firstRow, repeats: repeats, hidden: hidden,
                              parameters: parameters, column: column, logDerivatives: logDerivatives,
                              x: xBuffer.baseAddress!, logAbsDet: ldBuffer.baseAddress!)
                    }
                }
            }
        }
        return (try Tensor(shape: [n, d], scalars: x), try Tensor(shape: [n], scalars: logAbsDet))
    }
    /// The sweep over the dimensions (see the type's documentation), on caller-owned buffers.
    private func sweep(
        _ ys: UnsafePointer<Float>, n: Int, firstRow: Int, repeats: Int, hidden: [UnsafeMutablePointer<Float>],
        parameters: UnsafeMutablePointer<Float>, column: UnsafeMutablePointer<Float>,
        logDerivatives: UnsafeMutablePointer<Float>, x: UnsafeMutablePointer<Float>, logAbsDet: UnsafeMutablePointer<Float>
    ) {
        let d = featureCount, p = parameterCount, h1 = widths[0], outputWidth = d * p, last = widths.count - 1
        // Hidden activations, each layer pre-filled with its bias (the first with the context term).
        contextTerm.withUnsafeBufferPointer { term in
            for r in 0..<n {
                (hidden[0] + r * h1).update(from: term.baseAddress! + ((firstRow + r) / repeats) * h1, count: h1)
            }
        }
        for l in 1..<widths.count {
            biases[l].withUnsafeBufferPointer { bias in
                for r in 0..<n { (hidden[l] + r * widths[l]).update(from: bias.baseAddress!, count: widths[l]) }
            }
        }
        for i in 0..<d {
            // Units of degree i: the first layer already holds all their inputs; activate them.
            activation.apply(hidden[0], rows: n, stride: h1, columns: blocks[0][i])
            for l in 1..<widths.count {
                let block = blocks[l][i], prefix = blocks[l - 1][i].upperBound
                guard !block.isEmpty else { continue }
                weights[l].withUnsafeBufferPointer { w in
                    BLAS.multiply(
                        hidden[l - 1], lda: widths[l - 1], w.baseAddress! + block.lowerBound, ldb: widths[l],
                        into: hidden[l] + block.lowerBound, ldc: widths[l], m: n, n: block.count, k: prefix, accumulate: true)
                }
                activation.apply(hidden[l], rows: n, stride: widths[l], columns: block)
            }
            // The P outputs of dimension i from the units of degree ≤ i of the last hidden layer.
            biases[last + 1].withUnsafeBufferPointer { bias in
                for r in 0..<n { (parameters + r * p).update(from: bias.baseAddress! + i * p, count: p) }
            }
            weights[last + 1].withUnsafeBufferPointer { w in
                BLAS.multiply(
                    hidden[last], lda: widths[last], w.baseAddress! + i * p, ldb: outputWidth,
                    into: parameters, ldc: p, m: n, n: p, k: blocks[last][i].upperBound, accumulate: true)
            }
            // Column i of y in, column i of x out, through one batched call.
            for r in 0..<n { column[r] = ys[r * d + i] }
            univariate.inverse(count: n, y: column, parameters: parameters, x: column, logDerivative: logDerivatives)
            for r in 0..<n {
                x[r * d + i] = column[r]
                logAbsDet[r] += logDerivatives[r]
            }
            // x_i is known: add its share to the first-layer units of higher degree (rank-1 update).
            guard i + 1 < d else { continue }
            let start = blocks[0][i].upperBound
            weights[0].withUnsafeBufferPointer { w in
                let row = w.baseAddress! + i * h1
                for r in 0..<n {
                    let value = column[r], target = hidden[0] + r * h1
                    for k in start..<h1 { target[k] += value * row[k] }
                }
            }
        }
    }
}
