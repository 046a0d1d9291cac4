import Foundation
import Testing
@testable import NPETensor
import NPETestSupport
import NPESupport

@Test("Philox4x32-10 known-answer vectors (Random123 kat_vectors)")
func philoxKnownAnswers() {
    let zero = Philox4x32.block(counter: (0, 0, 0, 0), key: (0, 0))
    #expect([zero.0, zero.1, zero.2, zero.3] == [0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8])
    let ones = Philox4x32.block(counter: (.max, .max, .max, .max), key: (.max, .max))
    #expect([ones.0, ones.1, ones.2, ones.3] == [0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD])
    let pi = Philox4x32.block(counter: (0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344), key: (0xA409_3822, 0x299F_31D0))
    #expect([pi.0, pi.1, pi.2, pi.3] == [0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1])
}

@Test func drawsAreIndexableAndIndependentOfSplitting() {
    let stream = RandomStream(seed: 42, stream: 3)
    var whole = [Float](repeating: 0, count: 1001)
    whole.withUnsafeMutableBufferPointer { stream.fillNormal($0) }
    // The same draws fetched in two uneven pieces (odd offset), as two workers would.
    var first = [Float](repeating: 0, count: 377), second = [Float](repeating: 0, count: 624)
    first.withUnsafeMutableBufferPointer { stream.fillNormal($0, startingAt: 0) }
    second.withUnsafeMutableBufferPointer { stream.fillNormal($0, startingAt: 377) }
    #expect(whole == first + second)
    #expect(whole[500] == stream.normal(500))
    #expect(stream.uniform(17) == RandomStream(seed: 42, stream: 3).uniform(17))
    #expect(stream.uniform(17) != RandomStream(seed: 43, stream: 3).uniform(17))
    #expect(stream.child(1) != stream.child(2))
}

@Test func uniformsStayInsideTheOpenInterval() {
    let stream = RandomStream(seed: 1)
    for i in 0..<100_000 as Range<UInt64> {
        let u = stream.uniform(i), d = stream.uniformDouble(i)
        #expect(u > 0 && u < 1 && d > 0 && d < 1)
    }
}

@Test("normal draws: moments and Kolmogorov–Smirnov")
func normalDrawsPassMomentAndKSTests() {
    let n = 200_000
    let stream = RandomStream(seed: 2024, stream: 7)
    var draws = (0..<n).map { stream.normalDouble(UInt64($0)) }
    let mean = draws.reduce(0, +) / Double(n)
    let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
    let skew = draws.reduce(0) { $0 + pow(($1 - mean), 3) } / Double(n) / pow(variance, 1.5)
    let kurtosis = draws.reduce(0) { $0 + pow(($1 - mean), 4) } / Double(n) / (variance * variance)
    // Standard errors at n = 2e5: mean 1/√n = 2.2e-3, variance √(2/n) = 3.2e-3, skew √(6/n) = 5.5e-3,
    // kurtosis √(24/n) = 1.1e-2. Bounds are 5 standard errors: a fixed seed either passes or the generator is wrong.
    #expect(abs(mean) < 0.011)
    #expect(abs(variance - 1) < 0.016)
    #expect(abs(skew) < 0.028)
    #expect(abs(kurtosis - 3) < 0.055)
    draws.sort()
    var ks = 0.0
    for (i, x) in draws.enumerated() {
        let cdf = 0.5 * erfc(-x / 2.0.squareRoot())
        ks = max(ks, abs(cdf - Double(i) / Double(n)), abs(cdf - Double(i + 1) / Double(n)))
    }
    // The KS critical value at α = 0.001 is 1.95/√n = 4.4e-3.
    #expect(ks < 1.95 / Double(n).squareRoot())
}

@Test func uniformDrawsPassKS() {
    let n = 100_000
    let stream = RandomStream(seed: 5)
    let draws = (0..<n).map { Double(stream.uniform(UInt64($0))) }.sorted()
    var ks = 0.0
    for (i, x) in draws.enumerated() { ks = max(ks, abs(x - Double(i) / Double(n)), abs(x - Double(i + 1) / Double(n))) }
    #expect(ks < 1.95 / Double(n).squareRoot())
}

@Test func sequentialGeneratorIsReproducibleAndResumable() {
    var a = PhiloxGenerator(seed: 9)
    let first = (0..<10).map { _ in a.next() }
    var b = PhiloxGenerator(stream: RandomStream(seed: 9), position: 5)
    #expect((0..<5).map { _ in b.next() } == Array(first[5...]))
}
