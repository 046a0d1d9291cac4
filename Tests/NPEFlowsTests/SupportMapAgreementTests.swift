import NPEFlows
import NPESimulators
import Testing

/// The flow's support maps (`UnconstrainingMap`, NPEFlows) mirror the prior's bijections (`UnconstrainedBijection`,
/// NPESimulators) case for case; the two modules share no dependency, so this test is what keeps them one map.
@Test("flow support maps agree with the prior's bijections", arguments: [
    (UnconstrainingMap.identity, UnconstrainedBijection.identity, [-3.0, 0.0, 2.5]),
    (UnconstrainingMap.log, UnconstrainedBijection.log, [1e-3, 0.7, 40.0]),
    (UnconstrainingMap.logit(low: -12, high: -1), UnconstrainedBijection.logit(low: -12, high: -1), [-11.99, -6.0, -1.2]),
    (UnconstrainingMap.logitOfLog(low: 0.05, high: 10), UnconstrainedBijection.logitOfLog(low: 0.05, high: 10), [0.051, 1.0, 9.5]),
])
func supportMapsAgree(flow: UnconstrainingMap, prior: UnconstrainedBijection, points: [Double]) {
    for theta in points {
        let (u, logDerivative) = flow.forward(theta)
        // Both are Double transcriptions of the same formulas: agreement to 1e-12 relative (plus 1e-12 absolute
        // near zero) leaves room only for rounding differences in how each writes them.
        #expect(abs(u - prior.forward(theta)) <= 1e-12 * max(1, abs(u)))
        #expect(abs(logDerivative - prior.logAbsDetJacobian(at: theta)) <= 1e-12 * max(1, abs(logDerivative)))
        // The flow's inverse returns Float (samples are Float): agreement to Float precision, 1e-6 relative.
        let back = Double(flow.inverse(u).theta)
        #expect(abs(back - prior.inverse(u)) <= 1e-6 * max(1, abs(back)))
    }
}
