/// Inputs shared by the MPI child ranks and the parent test, built from a fixed integer hash so every process
/// builds the same numbers without communicating.
enum MPITestData {
    /// Rank `rank`'s contribution: values over fourteen binades with both signs, so the sum depends on its order.
    static func floats(rank: Int, count: Int) -> [Float] {
        (0..<count).map { index in
            let bits = hash(UInt64(rank), UInt64(index))
            let mantissa = Float(Int64(bits & 0xFFFF) - 0x8000) / 0x8000
            return mantissa * Float(sign: .plus, exponent: Int((bits >> 16) % 15) - 7, significand: 1)
        }
    }

    /// ((x0 + x1) + x2) + …, one element at a time: the reference, independent of the code under test.
    static func rankOrderedSum<T: FloatingPoint>(_ contributions: [[T]]) -> [T] {
        var total = contributions[0]
        for contribution in contributions.dropFirst() {
            for i in total.indices { total[i] += contribution[i] }
        }
        return total
    }

    static func pattern(count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
    }

    /// FNV-1a over the values' bytes, as 16 hex digits: a short line that still changes with any bit.
    static func digest<T: FixedWidthInteger>(_ values: [T]) -> String {
        var state: UInt64 = 0xCBF2_9CE4_8422_2325
        for value in values {
            withUnsafeBytes(of: value.littleEndian) { bytes in
                for byte in bytes { state = (state ^ UInt64(byte)) &* 0x100_0000_01B3 }
            }
        }
        let text = String(state, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    /// `nil` when `actual` equals `expected`, else where they first differ. Used instead of `#expect(a == b)` on
    /// long arrays, whose failure message would be a diff of millions of elements.
    static func firstDifference<T: Equatable>(_ actual: [T], _ expected: [T]) -> String? {
        guard actual.count == expected.count else { return "length \(actual.count), expected \(expected.count)" }
        guard let index = actual.indices.first(where: { actual[$0] != expected[$0] }) else { return nil }
        return "element \(index): \(actual[index]), expected \(expected[index])"
    }

    /// SplitMix64 finaliser.
    static func hash(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var z = a &* 0x9E37_79B9_7F4A_7C15 &+ b &* 0xBF58_476D_1CE4_E5B9 &+ 0x1234_5678
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
