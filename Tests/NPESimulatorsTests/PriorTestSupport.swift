import Foundation
import NPETestSupport
import Testing

/// |a − b| ≤ absolute + relative·|b|, reported at the caller's line.
func expectClose(
    _ a: Double, _ b: Double, absolute: Double = 0, relative: Double = 0, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let tolerance = absolute + relative * abs(b)
    #expect(abs(a - b) <= tolerance, "\(a) vs \(b) (tolerance \(tolerance)) \(comment?.description ?? "")",
            sourceLocation: sourceLocation)
}

/// Reproducible test draws (SplitMix64, shared with the other test targets).
typealias SeededGenerator = SplitMix64
