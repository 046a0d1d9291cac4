import NPENN
import NPETensor

/// A fixed reordering of the features, y_j = x_{order[j]}; log|det J| = 0. Placed between autoregressive or
/// coupling layers so each layer sees the dimensions in another order (a reversal is the usual choice).
///
/// The forward is a product with a constant permutation matrix (one small sgemm, differentiable for free);
/// the inverse scatters columns back.
public final class Permutation: FlowTransform {
    public let featureCount: Int
    public let contextCount: Int
    /// order[j] is the input column that becomes output column j.
    public let order: [Int]
    private let matrix: Variable

    /// - Throws: ``ModuleError/invalidConfiguration(_:)`` unless `order` is a permutation of 0..<D.
    public init(order: [Int], contextCount: Int) throws {
        guard order.sorted() == Array(0..<order.count), !order.isEmpty else {
            throw ModuleError.invalidConfiguration("permutation order \(order) is not a permutation of 0..<\(order.count)")
        }
        featureCount = order.count
        self.contextCount = contextCount
        self.order = order
        var p = Tensor.zeros([order.count, order.count])
        for (j, source) in order.enumerated() { p[source, j] = 1 }
        matrix = Variable(p)
    }

    /// The reversal of D features.
    public static func reversal(featureCount: Int, contextCount: Int) throws -> Permutation {
        try Permutation(order: Array((0..<featureCount).reversed()), contextCount: contextCount)
    }

    public var namedParameters: [(name: String, parameter: Variable)] { [] }

    public func forwardAndLogAbsDet(_ x: Variable, context: Variable) throws -> (y: Variable, logAbsDet: Variable) {
        try checkShapes(x.shape, context.shape, op: "Permutation")
        return (try Variable.matmul(x, matrix), Variable(Tensor.zeros([x.shape[0]])))
    }

    public func makeInverter(context: Tensor) throws -> any TransformInverter { PermutationInverter(order: order) }
}

struct PermutationInverter: TransformInverter {
    let order: [Int]

    func inverse(_ y: Tensor, firstRow: Int, repeats: Int) throws -> (x: Tensor, logAbsDet: Tensor) {
        let n = y.shape[0], d = order.count
        guard y.rank == 2, y.shape[1] == d else { throw TensorError.shapeMismatch(op: "Permutation inverse", lhs: y.shape, rhs: [n, d]) }
        var x = y
        x.withUnsafeMutableScalars { xs in
            y.scalars.withUnsafeBufferPointer { ys in
                for r in 0..<n { for j in 0..<d { xs[r * d + order[j]] = ys[r * d + j] } }
            }
        }
        return (x, Tensor.zeros([n]))
    }
}
