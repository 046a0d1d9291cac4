import Foundation
import NPETestSupport
import Testing

/// Reproducible test draws (SplitMix64, shared with the other test targets).
typealias SeededGenerator = SplitMix64
