import RealModule
import Testing

/// Expects `a ≈ b`, reported at the caller's line: swift-numerics' `isApproximatelyEqual`, i.e.
/// |a − b| ≤ max(`absolute`, `relative` · max(|a|, |b|)).
///
/// Callers state and justify both tolerances: `relative` for values whose rounding error scales with their size,
/// `absolute` for values near zero, where a relative bound would demand exact equality. NaN is never close to
/// anything, and ±∞ only to itself.
public func expectClose<T: BinaryFloatingPoint>(
    _ a: T, _ b: T, absolute: T = 0, relative: T = 0, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let close = a == b || a.isApproximatelyEqual(to: b, absoluteTolerance: absolute, relativeTolerance: min(relative, 1))
    #expect(close, "\(a) vs \(b) (absolute \(absolute), relative \(relative)) \(comment?.description ?? "")",
            sourceLocation: sourceLocation)
}
