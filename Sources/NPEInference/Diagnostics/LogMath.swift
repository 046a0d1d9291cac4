import Foundation

/// log Σ exp(vᵢ), max-stabilised; −∞ for an empty or all −∞ input.
func logSumExp(_ values: [Double]) -> Double {
    guard let top = values.max(), top.isFinite else { return values.contains(.infinity) ? .infinity : -.infinity }
    return top + log(values.reduce(0) { $0 + exp($1 - top) })
}
