import Foundation
import NPENN
import NPETensor

/// One invertible, context-conditioned map of a flow, with zuko's small surface: forward, inverse, log|det J|
/// and the fused forward-with-log-det.
///
/// Direction: ``forwardAndLogAbsDet(_:context:)`` maps data to the base space (θ → z), which is what the density
/// needs, log q(θ | c) = log N(f(θ; c)) + log|det ∂f/∂θ|. It is recorded for backpropagation. The inverse
/// (z → θ, sampling) is gradient-free and goes through a ``TransformInverter`` that precomputes everything
/// that depends only on the context, once per call.
///
/// Shapes: x and y `[n, D]` (``featureCount``), context `[n, C]` (``contextCount``, may be 0), log|det J| `[n]`.
public protocol FlowTransform: Module {
    var featureCount: Int { get }
    var contextCount: Int { get }
    /// y = f(x; c) and log|det ∂f/∂x|, recorded.
    func forwardAndLogAbsDet(_ x: Variable, context: Variable) throws -> (y: Variable, logAbsDet: Variable)
    /// Prepares the inverse for the contexts `[T, C]` (no gradient is recorded).
    func makeInverter(context: Tensor) throws -> any TransformInverter
}

/// The gradient-free inverse of a ``FlowTransform`` for a fixed set of T contexts. Read-only once made, so
/// several threads may invert disjoint row ranges at once.
public protocol TransformInverter {
    /// x = f⁻¹(y) for rows `firstRow ..< firstRow + n` of a grid in which row r belongs to context r / `repeats`;
    /// y is `[n, D]`. Returns x and the *forward* log|det ∂f/∂x| at x, `[n]`.
    func inverse(_ y: Tensor, firstRow: Int, repeats: Int) throws -> (x: Tensor, logAbsDet: Tensor)
}

extension FlowTransform {
    /// f(x; c).
    public func forward(_ x: Variable, context: Variable) throws -> Variable {
        try forwardAndLogAbsDet(x, context: context).y
    }

    /// log|det ∂f/∂x| at x, `[n]`.
    public func logAbsDetJacobian(_ x: Variable, context: Variable) throws -> Variable {
        try forwardAndLogAbsDet(x, context: context).logAbsDet
    }

    /// f⁻¹(y; c) with one context row per row of y.
    public func inverse(_ y: Tensor, context: Tensor) throws -> Tensor {
        try withoutGradient { try makeInverter(context: context).inverse(y, firstRow: 0, repeats: 1).x }
    }

    /// Checks x `[n, D]` and context `[n, C]`.
    func checkShapes(_ x: [Int], _ context: [Int], op: String) throws {
        guard x.count == 2, x[1] == featureCount, context.count == 2, context[1] == contextCount, context[0] == x[0]
        else { throw TensorError.shapeMismatch(op: "\(op) (x [n, \(featureCount)], context [n, \(contextCount)])", lhs: x, rhs: context) }
    }
}

/// Scalar forms of the NPENN activations, for the gradient-free sampling kernels. They match
/// ``Activation/callAsFunction(_:)`` exactly (ELU α = 1, leaky slope 0.2).
extension Activation {
    func apply(_ buffer: UnsafeMutablePointer<Float>, rows: Int, stride: Int, columns: Range<Int>) {
        guard !columns.isEmpty else { return }
        for r in 0..<rows {
            let row = buffer + r * stride
            switch self {
            case .relu: for c in columns { row[c] = max(row[c], 0) }
            case .elu: for c in columns where row[c] <= 0 { row[c] = expm1f(row[c]) }
            case .gelu: for c in columns { row[c] = 0.5 * row[c] * (1 + erff(row[c] * 0.70710678118654752)) }
            case .tanh: for c in columns { row[c] = tanhf(row[c]) }
            case .sigmoid: for c in columns { let v = row[c]; row[c] = v >= 0 ? 1 / (1 + expf(-v)) : expf(v) / (1 + expf(v)) }
            case .softplus: for c in columns { let v = row[c]; row[c] = max(v, 0) + log1pf(expf(-abs(v))) }
            case .leakyRelu: for c in columns where row[c] <= 0 { row[c] *= 0.2 }
            case .identity: break
            }
        }
    }
}
