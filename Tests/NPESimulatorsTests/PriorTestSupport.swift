import Foundation
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

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator for reproducible test draws.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A uniform in the open interval (0, 1): 53 random bits, offset by half an ulp.
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }
}
