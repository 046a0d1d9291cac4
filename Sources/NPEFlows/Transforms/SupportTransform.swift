import NPENN
import NPETensor
import NPESupport

/// The elementwise map from θ's support to ℝᴰ, one ``SupportBijection`` per dimension, as a ``FlowTransform``
/// with no parameters (the context is ignored). Put first in the density direction it turns a flow on u into a
/// density on θ: log q(θ) = log q_u(T(θ)) + Σ_d log T_d′(θ_d). Its inverse maps any u into the open box, so
/// samples cannot leave the prior's support and no rejection loop is needed.
public final class SupportTransform: FlowTransform {
    public let maps: [SupportBijection]
    public let contextCount: Int
    public var featureCount: Int { maps.count }

    /// - Throws: ``ModuleError/invalidConfiguration(_:)`` for an empty or invalid map.
    public init(maps: [SupportBijection], contextCount: Int) throws {
        if let bad = maps.firstIndex(where: { !$0.isValid }) {
            throw ModuleError.invalidConfiguration("support of θ[\(bad)] is invalid: \(maps[bad])")
        }
        guard !maps.isEmpty else { throw ModuleError.invalidConfiguration("support transform needs at least one dimension") }
        self.maps = maps
        self.contextCount = contextCount
    }

    public var namedParameters: [(name: String, parameter: Variable)] { [] }

    /// Whether every element of θ `[n, D]` lies inside its support, per row.
    public func rowsInsideSupport(_ theta: Tensor) -> [Bool] {
        let d = featureCount, n = theta.shape[0]
        return (0..<n).map { r in (0..<d).allSatisfy { maps[$0].contains(Double(theta.scalars[r * d + $0])) } }
    }

    public func forwardAndLogAbsDet(_ x: Variable, context: Variable) throws -> (y: Variable, logAbsDet: Variable) {
        guard x.shape.count == 2, x.shape[1] == featureCount else {
            throw TensorError.shapeMismatch(op: "SupportTransform (θ [n, \(featureCount)])", lhs: x.shape, rhs: [featureCount])
        }
        let operation = SupportOperation(maps: maps)
        let joined = try Variable.custom(operation, inputs: [x]) { try operation.forward($0[0]) }
        let d = featureCount
        return (try joined.sliceColumns(0..<d), try joined.sliceColumns(d..<(d + 1)).reshaped([x.shape[0]]))
    }

    public func makeInverter(context: Tensor) throws -> any TransformInverter { SupportInverter(maps: maps) }
}

/// Forward of ``SupportTransform`` as one op: output `[n, D+1]`, u then Σ log T′.
struct SupportOperation: DifferentiableOperation {
    let maps: [SupportBijection]
    var name: String { "support transform" }

    func forward(_ theta: Tensor) throws -> Tensor {
        let n = theta.shape[0], d = maps.count
        var out = Tensor.zeros([n, d + 1])
        out.withUnsafeMutableScalars { o in
            for r in 0..<n {
                var total = 0.0
                for j in 0..<d {
                    let (u, ld) = maps[j].forwardWithLogDerivative(Double(theta.scalars[r * d + j]))
                    o[r * (d + 1) + j] = Float(u)
                    total += ld
                }
                o[r * (d + 1) + d] = Float(total)
            }
        }
        return out
    }

    func vectorJacobianProducts(inputs: [Tensor], output: Tensor, outputGradient g: Tensor, needed: [Bool]) throws -> [Tensor?] {
        let theta = inputs[0], n = theta.shape[0], d = maps.count
        var gradient = Tensor.zeros(theta.shape)
        gradient.withUnsafeMutableScalars { gt in
            for r in 0..<n {
                for j in 0..<d {
                    let (du, dl) = maps[j].derivatives(Double(theta.scalars[r * d + j]))
                    gt[r * d + j] = Float(Double(g.scalars[r * (d + 1) + j]) * du + Double(g.scalars[r * (d + 1) + d]) * dl)
                }
            }
        }
        return [gradient]
    }
}

struct SupportInverter: TransformInverter {
    let maps: [SupportBijection]

    func inverse(_ y: Tensor, firstRow: Int, repeats: Int) throws -> (x: Tensor, logAbsDet: Tensor) {
        let n = y.shape[0], d = maps.count
        guard y.rank == 2, y.shape[1] == d else { throw TensorError.shapeMismatch(op: "SupportTransform inverse", lhs: y.shape, rhs: [n, d]) }
        var x = y, logAbsDet = Tensor.zeros([n])
        x.withUnsafeMutableScalars { xs in
            logAbsDet.withUnsafeMutableScalars { ld in
                for r in 0..<n {
                    var total = 0.0
                    for j in 0..<d {
                        let (theta, logDerivative) = maps[j].floatInverse(Double(xs[r * d + j]))
                        xs[r * d + j] = theta
                        total += logDerivative
                    }
                    ld[r] = Float(total)
                }
            }
        }
        return (x, logAbsDet)
    }
}
