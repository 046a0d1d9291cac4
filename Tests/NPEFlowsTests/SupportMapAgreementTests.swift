import NPEFlows
import NPESimulators
import Testing
import NPESupport

/// The flow's side of the support map (the fused forward with its log-derivative, and the Float inverse that
/// rounds inward, NPEFlows) agrees with the Double formulas the prior uses (`SupportBijection`, NPESupport).
@Test("flow support maps agree with the prior's bijections", arguments: [
    (SupportBijection.identity, SupportBijection.identity, [-3.0, 0.0, 2.5]),
    (SupportBijection.log, SupportBijection.log, [1e-3, 0.7, 40.0]),
    (SupportBijection.logit(low: -12, high: -1), SupportBijection.logit(low: -12, high: -1), [-11.99, -6.0, -1.2]),
    (SupportBijection.logitOfLog(low: 0.05, high: 10), SupportBijection.logitOfLog(low: 0.05, high: 10), [0.051, 1.0, 9.5]),
])
func supportMapsAgree(flow: SupportBijection, prior: SupportBijection, points: [Double]) {
    for theta in points {
        let (u, logDerivative) = flow.forwardWithLogDerivative(theta)
        // Both are Double transcriptions of the same formulas: agreement to 1e-12 relative (plus 1e-12 absolute
        // near zero) leaves room only for rounding differences in how each writes them.
        #expect(abs(u - prior.forward(theta)) <= 1e-12 * max(1, abs(u)))
        #expect(abs(logDerivative - prior.logAbsDetJacobian(at: theta)) <= 1e-12 * max(1, abs(logDerivative)))
        // The flow's inverse returns Float (samples are Float): agreement to Float precision, 1e-6 relative.
        let back = Double(flow.floatInverse(u).theta)
        #expect(abs(back - prior.inverse(u)) <= 1e-6 * max(1, abs(back)))
    }
}
