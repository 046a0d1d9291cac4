/// Test inputs whose sum depends on the order of addition, so a test comparing bits can tell orders apart.
enum ReductionData {
    /// Rank `rank`'s contribution: values spread over fourteen binades with both signs, from a fixed
    /// integer hash of (seed, rank, index), so every run and every process builds the same numbers.
    static func floats(rank: Int, count: Int, seed: UInt64 = 7) -> [Float] {
        (0..<count).map { index in
            let bits = hash(seed, UInt64(rank), UInt64(index))
            let mantissa = Float(Int64(bits & 0xFFFF) - 0x8000) / 0x8000
            let exponent = Int((bits >> 16) % 15) - 7
            return mantissa * Float(sign: .plus, exponent: exponent, significand: 1)
        }
    }

    static func doubles(rank: Int, count: Int, seed: UInt64 = 11) -> [Double] {
        floats(rank: rank, count: count, seed: seed).enumerated().map { Double($1) * 1.000_000_1 + Double($0) * 1e-9 }
    }

    /// The reference: ((x0 + x1) + x2) + …, one element at a time, written without any of the code under test.
    static func rankOrderedSum<T: FloatingPoint>(_ contributions: [[T]]) -> [T] {
        var total = contributions[0]
        for contribution in contributions.dropFirst() {
            for i in total.indices { total[i] += contribution[i] }
        }
        return total
    }

    /// `nil` when `actual` equals `expected`, else where they first differ. Used instead of `#expect(a == b)` on
    /// long arrays, whose failure message would be a diff of millions of elements.
    static func firstDifference<T: Equatable>(_ actual: [T], _ expected: [T]) -> String? {
        guard actual.count == expected.count else { return "length \(actual.count), expected \(expected.count)" }
        guard let index = actual.indices.first(where: { actual[$0] != expected[$0] }) else { return nil }
        return "element \(index): \(actual[index]), expected \(expected[index])"
    }

    /// SplitMix64 finaliser over the three inputs.
    static func hash(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        var z = a &* 0x9E37_79B9_7F4A_7C15 &+ b &* 0xBF58_476D_1CE4_E5B9 &+ c &* 0x94D0_49BB_1331_11EB
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
