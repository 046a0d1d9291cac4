import Foundation

/// The standard normal distribution's CDF, log-density and inverse CDF, in double precision.
///
/// The inverse CDF is the workhorse of prior sampling: every draw is `quantile(u)` of a uniform from the
/// counter-based generator, so it must be accurate over the whole open interval, tails included.
///
/// References:
/// - P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution function" (2003): a
///   rational approximation with relative error below 1.15e-9 over (0, 1).
/// - One step of Halley's method on Φ(x) − p, the refinement Acklam recommends, using the C library's `erfc`,
///   brings the result to within a few ulps (tests compare with Python's `statistics.NormalDist.inv_cdf`,
///   which implements Wichura's AS241).
public enum StandardNormal {
    /// Φ(x) = ½ erfc(−x/√2), accurate in both tails (no 1 − small cancellation).
    public static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// log φ(x) = −x²/2 − ½ log 2π.
    public static func logDensity(_ x: Double) -> Double {
        -0.5 * x * x - halfLogTwoPi
    }

    /// ½ log(2π).
    public static let halfLogTwoPi = 0.5 * log(2.0 * Double.pi)

    /// Φ⁻¹(p), refined to near machine precision.
    ///
    /// - Parameter p: a probability. Values outside the open interval (0, 1) are clamped into
    ///   [`Double.leastNormalMagnitude`, 1 − 2⁻⁵³], so the result is always finite (|x| < 38); a uniform
    ///   generator that can return exactly 0 therefore never yields −∞.
    public static func quantile(_ p: Double) -> Double {
        let p = clampToOpenUnitInterval(p)
        // Work in the lower tail: for p > ½, 1 − p is exact (Sterbenz), so no precision is lost.
        if p > 0.5 { return -lowerQuantile(1 - p) }
        return lowerQuantile(p)
    }

    /// Clamps `p` into the open unit interval as described in ``quantile(_:)``; NaN stays NaN.
    static func clampToOpenUnitInterval(_ p: Double) -> Double {
        if p.isNaN { return p }
        return min(max(p, Double.leastNormalMagnitude), 1 - 0x1p-53)
    }

    /// Φ⁻¹(p) for p ≤ ½, Acklam's approximation plus one Halley step.
    private static func lowerQuantile(_ p: Double) -> Double {
        let x = acklamQuantile(p)
        guard x.isFinite else { return x }
        // Halley step on f(x) = Φ(x) − p: f'/f'' structure gives x − u / (1 + x u / 2), u = f / φ(x).
        let error = cdf(x) - p
        let u = error * (2 * Double.pi).squareRoot() * exp(0.5 * x * x)
        return x - u / (1 + 0.5 * x * u)
    }

    /// Acklam's rational approximation alone (relative error < 1.15e-9); exposed to tests so the
    /// coefficients themselves are checked, not only the refined result.
    static func acklamQuantile(_ p: Double) -> Double {
        if p.isNaN { return .nan }
        let pLow = 0.02425
        if p < pLow {
            let q = (-2 * log(p)).squareRoot()
            return tailNumerator(q) / tailDenominator(q)
        }
        if p > 1 - pLow {
            let q = (-2 * log1p(-p)).squareRoot()
            return -tailNumerator(q) / tailDenominator(q)
        }
        let q = p - 0.5
        let r = q * q
        let numerator = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        let denominator = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
        return numerator / denominator
    }

    private static func tailNumerator(_ q: Double) -> Double {
        ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
    }

    private static func tailDenominator(_ q: Double) -> Double {
        (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
    }

    // Acklam (2003), central region numerator/denominator (a, b) and tail region (c, d).
    private static let a: [Double] = [
        -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
    ]
    private static let b: [Double] = [
        -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01,
    ]
    private static let c: [Double] = [
        -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
    ]
    private static let d: [Double] = [
        7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00,
    ]
}
