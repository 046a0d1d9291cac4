import NPEFlows
import NPENN
import NPESupport
import NPETensor
import Testing

/// An autoregressive transform's output i may depend on inputs 0…i only (its masks make the Jacobian lower
/// triangular), which is what makes log|det J| the sum of the diagonal's logs. The property test checks that sum
/// against a numeric determinant; this checks the structure itself, which a wrong mask could break while leaving
/// the determinant of a small random case close.
@Suite("Autoregressive masks give a triangular Jacobian")
struct AutoregressiveJacobianTests {
    static let d = 5, c = 2

    static let cases: [(String, @Sendable (UInt64) throws -> any FlowTransform)] = [
        ("affine", { seed in
            try AutoregressiveTransform(featureCount: d, contextCount: c, hiddenWidths: [9, 9], activation: .tanh,
                                        univariate: MonotonicAffine(), stream: RandomStream(seed: seed))
        }),
        ("spline", { seed in
            try AutoregressiveTransform(featureCount: d, contextCount: c, hiddenWidths: [11], activation: .elu,
                                        univariate: RationalQuadraticSpline(bins: 5, bound: 2.5), stream: RandomStream(seed: seed))
        }),
    ]

    @Test("∂y_i/∂x_j = 0 exactly for j > i, and ≠ 0 on the diagonal", arguments: 0..<cases.count)
    func triangular(_ index: Int) throws {
        let (name, build) = Self.cases[index]
        let transform = try build(3)
        // Randomised weights (scale 0.3, as in the property test) so every connection the masks allow carries signal.
        for (k, (_, parameter)) in transform.namedParameters.enumerated() {
            try parameter.assign(RandomStream(seed: 41, stream: UInt64(k)).normalTensor(parameter.shape, scale: 0.3))
        }
        let d = Self.d
        let x = RandomStream(seed: 7).normalTensor([1, d])
        let context = RandomStream(seed: 8).normalTensor([1, Self.c])
        let y = try withoutGradient { try transform.forward(Variable(x), context: Variable(context)).value }
        for j in 0..<d {
            var moved = x
            moved[0, j] += 0.5
            let z = try withoutGradient { try transform.forward(Variable(moved), context: Variable(context)).value }
            // Outputs before j must not move at all: the masks cut those paths, so the same Float operations run on
            // the same values (bitwise equality, no tolerance needed).
            for i in 0..<j {
                #expect(z[0, i] == y[0, i], "\(name): y[\(i)] moved when x[\(j)] changed")
            }
            // The diagonal term of a monotone transform always moves.
            #expect(z[0, j] != y[0, j], "\(name): y[\(j)] did not depend on x[\(j)]")
        }
    }
}
