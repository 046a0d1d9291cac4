import Dispatch
import NPETensor

/// A monotonic scalar map y = g(x; φ) with ``parameterCount`` parameters φ per element: the univariate part
/// of an autoregressive or coupling transform (zuko's "univariate transform"), whose parameters a network
/// predicts.
///
/// The requirements are batched: each call maps `count` independent elements, element i having input `[i]` and
/// parameters `parameters[i·P ..< (i+1)·P]`. Conformers are value types, so the kernels that call them
/// specialise, and a conformer may process several elements at once in SIMD lanes (the spline does). Outputs
/// may alias the input of the same element (in-place use is allowed); they must not overlap the parameters.
public protocol ElementwiseTransform: Sendable, Equatable {
    /// P, the number of parameters per element.
    var parameterCount: Int { get }
    /// y = g(x; φ) and log g′(x; φ) for each of `count` elements.
    func forward(count: Int, x: UnsafePointer<Float>, parameters: UnsafePointer<Float>,
                 y: UnsafeMutablePointer<Float>, logDerivative: UnsafeMutablePointer<Float>)
    /// x = g⁻¹(y; φ), and log g′ at that x (the *forward* map's log-derivative, so the caller subtracts it for
    /// the inverse's log-determinant), for each of `count` elements.
    func inverse(count: Int, y: UnsafePointer<Float>, parameters: UnsafePointer<Float>,
                 x: UnsafeMutablePointer<Float>, logDerivative: UnsafeMutablePointer<Float>)
    /// The vector–Jacobian product of ``forward(count:x:parameters:y:logDerivative:)``: given ∂L/∂y and
    /// ∂L/∂(log g′) of each element, writes ∂L/∂x into `inputGradient` and *adds* ∂L/∂φ into
    /// `parameterGradient` (`count`·P values).
    func backward(count: Int, x: UnsafePointer<Float>, parameters: UnsafePointer<Float>,
                  outputGradient: UnsafePointer<Float>, logDerivativeGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>, parameterGradient: UnsafeMutablePointer<Float>)
}

/// The batched, differentiable application of an ``ElementwiseTransform``: inputs x `[n, D]` and parameters
/// `[n, D·P]` (dimension-major: the P parameters of dimension d are columns d·P ..< (d+1)·P), output `[n, D+1]`:
/// columns 0..<D are y and column D is Σ_d log g′(x_d), the row's log|det J|.
///
/// One fused kernel with a hand-written backward rule, because composing a spline from primitive ops would take
/// dozens of passes per element (the brief for ``DifferentiableOperation``).
struct ElementwiseTransformOperation<Transform: ElementwiseTransform>: DifferentiableOperation {
    let transform: Transform
    var name: String { "elementwise \(Transform.self)" }

    /// Output `[n, D+1]` as described above.
    func forward(x: Tensor, parameters: Tensor) throws -> Tensor {
        let n = x.shape[0], d = x.shape[1], p = transform.parameterCount
        guard x.rank == 2, parameters.rank == 2, parameters.shape[0] == n, parameters.shape[1] == d * p else {
            throw TensorError.shapeMismatch(op: name, lhs: x.shape, rhs: parameters.shape)
        }
        var out = Tensor.zeros([n, d + 1])
        out.withUnsafeMutableScalars { o in
            x.scalars.withUnsafeBufferPointer { xs in
                parameters.scalars.withUnsafeBufferPointer { ps in
                    nonisolated(unsafe) let o = o
                    Self.forEachRowBlock(rows: n, elementsPerRow: d) { rows, y, logDerivative in
                        let first = rows.lowerBound
                        transform.forward(count: rows.count * d, x: xs.baseAddress! + first * d,
                                          parameters: ps.baseAddress! + first * d * p, y: y, logDerivative: logDerivative)
                        for r in rows {
                            let block = (r - first) * d
                            var total: Float = 0
                            for j in 0..<d {
                                o[r * (d + 1) + j] = y[block + j]
                                total += logDerivative[block + j]
                            }
                            o[r * (d + 1) + d] = total
                        }
                    }
                }
            }
        }
        return out
    }

    func vectorJacobianProducts(
        inputs: [Tensor], output: Tensor, outputGradient g: Tensor, needed: [Bool]
    ) throws -> [Tensor?] {
        let x = inputs[0], parameters = inputs[1]
        let n = x.shape[0], d = x.shape[1], p = transform.parameterCount
        var gx = Tensor.zeros(x.shape)
        var gp = Tensor.zeros(parameters.shape)
        gx.withUnsafeMutableScalars { gxs in
            gp.withUnsafeMutableScalars { gps in
                x.scalars.withUnsafeBufferPointer { xs in
                    parameters.scalars.withUnsafeBufferPointer { ps in
                        g.scalars.withUnsafeBufferPointer { gs in
                            nonisolated(unsafe) let gxs = gxs, gps = gps
                            Self.forEachRowBlock(rows: n, elementsPerRow: d) { rows, gy, gl in
                                // ∂L/∂y per element, and the row's ∂L/∂(log|det J|) repeated for each element.
                                let first = rows.lowerBound
                                for r in rows {
                                    let block = (r - first) * d, rowGradient = gs[r * (d + 1) + d]
                                    for j in 0..<d {
                                        gy[block + j] = gs[r * (d + 1) + j]
                                        gl[block + j] = rowGradient
                                    }
                                }
                                transform.backward(
                                    count: rows.count * d, x: xs.baseAddress! + first * d,
                                    parameters: ps.baseAddress! + first * d * p, outputGradient: gy, logDerivativeGradient: gl,
                                    inputGradient: gxs.baseAddress! + first * d, parameterGradient: gps.baseAddress! + first * d * p)
                            }
                        }
                    }
                }
            }
        }
        return [needed[0] ? gx : nil, needed[1] ? gp : nil]
    }

    /// Runs `body` over blocks of at most ``blockElements`` elements (whole rows), with two scratch buffers of
    /// that many Floats, so the kernel's per-element outputs stay in cache before they are laid out.
    static func forEachRowBlock(
        rows: Int, elementsPerRow: Int,
        _ body: (Range<Int>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) {
        let blockRows = max(1, blockElements / max(1, elementsPerRow))
        forEachRowRange(rows: rows, elementsPerRow: elementsPerRow) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * blockRows * elementsPerRow) { scratch in
                let first = scratch.baseAddress!, second = first + blockRows * elementsPerRow
                var start = range.lowerBound
                while start < range.upperBound {
                    let end = min(start + blockRows, range.upperBound)
                    body(start..<end, first, second)
                    start = end
                }
            }
        }
    }

    /// Elements per block in ``forEachRowBlock(rows:elementsPerRow:_:)``: 8 KiB of scratch, a small part of L1.
    static var blockElements: Int { 1024 }

    /// Runs `body` over row ranges: on the threads the engine gives BLAS (``BLAS/threadCount``), when the batch
    /// is large enough to pay for the hand-off (the kernel is a third to a half of an NSF training step); in one
    /// range otherwise. Data-parallel workers run BLAS on one thread, so they get no nested threads here either.
    static func forEachRowRange(rows: Int, elementsPerRow: Int, _ body: (Range<Int>) -> Void) {
        let threads = BLAS.threadCount
        guard threads > 1, rows * elementsPerRow >= 1024 else { return body(0..<rows) }
        let chunk = (rows + threads - 1) / threads
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let range = (t * chunk)..<min(rows, (t + 1) * chunk)
            if !range.isEmpty { body(range) }
        }
    }
}

extension ElementwiseTransform {
    /// Applies the transform to x `[n, D]` with parameters `[n, D·P]`, recording it for backpropagation.
    /// Returns y `[n, D]` and log|det J| `[n]`.
    public func apply(_ x: Variable, parameters: Variable) throws -> (y: Variable, logAbsDet: Variable) {
        let operation = ElementwiseTransformOperation(transform: self)
        let joined = try Variable.custom(operation, inputs: [x, parameters]) {
            try operation.forward(x: $0[0], parameters: $0[1])
        }
        let d = x.shape[1]
        let logAbsDet = try joined.sliceColumns(d..<(d + 1)).reshaped([x.shape[0]])
        return (try joined.sliceColumns(0..<d), logAbsDet)
    }
}
