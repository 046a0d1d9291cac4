import NPEFlows
import NPETensor
import NPETestSupport
import Testing
import NPESupport

/// The hand-written backward rules of the fused elementwise kernels against central finite differences
/// (tolerances are NPETestSupport's, justified there).
@Suite("Fused elementwise kernels: gradients")
struct ElementwiseGradientTests {
    /// x spread over [−3, 3] so that some points fall in the spline's identity tails (|x| > B = 2.5) and the
    /// rest across its bins; points within 0.05 of a knot would make a difference quotient straddle two
    /// polynomial pieces, so the parameters are fixed and the draws checked to avoid that by their seed.
    @Test("rational-quadratic spline")
    func spline() throws {
        let spline = RationalQuadraticSpline(bins: 4, bound: 2.5)
        let n = 6, d = 2
        let x = RandomStream(seed: 3).uniformTensor([n, d], low: -3, high: 3)
        let parameters = RandomStream(seed: 4).normalTensor([n, d * spline.parameterCount], scale: 0.8)
        try checkGradients("spline", inputs: [x, parameters], step: 1e-3, absoluteTolerance: 5e-3) { v in
            let (y, logAbsDet) = try spline.apply(v[0], parameters: v[1])
            return try Variable.concatenateColumns([y, logAbsDet.reshaped([n, 1])])
        }
    }

    @Test("bounded affine")
    func affine() throws {
        let affine = MonotonicAffine(logScaleBound: 2)
        let n = 5, d = 3
        let x = RandomStream(seed: 5).normalTensor([n, d])
        let parameters = RandomStream(seed: 6).normalTensor([n, d * 2], scale: 2)
        try checkGradients("affine", inputs: [x, parameters]) { v in
            let (y, logAbsDet) = try affine.apply(v[0], parameters: v[1])
            return try Variable.concatenateColumns([y, logAbsDet.reshaped([n, 1])])
        }
    }

    @Test("support maps")
    func support() throws {
        let transform = try SupportTransform(maps: [.identity, .log, .logit(low: -2, high: 2), .logitOfLog(low: 1, high: 50)],
                                             contextCount: 0)
        let theta = try Tensor(rows: [[0.3, 0.7, -1.2, 3.0], [-2.0, 2.5, 0.4, 20.0], [1.1, 1.3, 1.5, 40.0]])
        try checkGradients("support", inputs: [theta], step: 1e-3) { v in
            let (u, logAbsDet) = try transform.forwardAndLogAbsDet(v[0], context: Variable(Tensor.zeros([3, 0])))
            return try Variable.concatenateColumns([u, logAbsDet.reshaped([3, 1])])
        }
    }
}
