import Foundation
import Testing
@testable import NPESimulators

/// Speed of one spectrum on one core (release build). The goal is ≤ 0.5 ms; TauREx 3.3.2 takes about 20 ms.
@Suite(.serialized) struct TransmissionPerformanceTests {
    /// CPU time of the calling thread [s]. The machine's two cores are shared with other jobs, so wall-clock time
    /// would measure the load, not the code.
    static func threadCPUTime() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }

    /// The best of `passes` passes over `rows` (thread CPU time per spectrum, ms): the minimum filters out time lost to a
    /// hyper-thread sibling busy with other work.
    static func millisecondsPerSpectrum(
        _ simulator: ArielTransmissionSimulator, rows: [[Double]], passes: Int = 5
    ) throws -> Double {
        var output = [Double](repeating: 0, count: simulator.outputCount)
        // Warm-up: data loading and the first workspace are not part of the per-spectrum cost.
        _ = try simulator.simulate(rows[0])
        var best = Double.infinity
        for _ in 0..<passes {
            let start = threadCPUTime()
            for row in rows {
                try row.withUnsafeBufferPointer { input in
                    try output.withUnsafeMutableBufferPointer { try simulator.simulate(input, into: $0) }
                }
            }
            best = min(best, (threadCPUTime() - start) * 1000 / Double(rows.count))
        }
        return best
    }

    /// Rows spread over the ADC2023 prior box (fixed seed), so the opaque-layer skipping sees typical cases.
    static func priorRows(count: Int) -> [[Double]] {
        var state: UInt64 = 42
        func uniform(_ low: Double, _ high: Double) -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return low + (high - low) * Double(state >> 11) / Double(1 << 53)
        }
        return (0..<count).map { _ in
            [uniform(0.5, 2), uniform(300, 3000), uniform(-12, -1), uniform(-12, -1), uniform(-12, -1),
             uniform(-12, -1), uniform(-12, -1), uniform(0.3, 5), uniform(0.5, 2)]
        }
    }

    @Test func defaultModelSpeed() throws {
        let simulator = try ArielTransmissionSimulator()
        let ms = try Self.millisecondsPerSpectrum(simulator, rows: Self.priorRows(count: 200))
        print("ariel-transmission (isothermal, k-sum): \(String(format: "%.3f", ms)) ms/spectrum")
        // Measured 0.36–0.40 ms here (goal 0.5 ms). The bound is twice the goal so that a slower CI core or a busy
        // sibling hyper-thread does not fail it, while a lost optimisation (the unmerged kernel ran at ~1 ms, the
        // first scalar version at ~5 ms) does.
        #expect(ms < 1.0)
    }

    @Test func optionalConfigurationsSpeed() throws {
        let guillot = try ArielTransmissionSimulator(
            configuration: .init(temperatureProfile: .guillot2010(logKappaIR: -2, logGamma: -1, internalTemperature: 150)))
        let rorr = try ArielTransmissionSimulator(configuration: .init(gasOverlap: .randomOverlap))
        let rows = Self.priorRows(count: 20)
        let guillotMs = try Self.millisecondsPerSpectrum(guillot, rows: rows)
        let rorrMs = try Self.millisecondsPerSpectrum(rorr, rows: Array(rows.prefix(4)), passes: 2)
        print("guillot2010 k-sum: \(String(format: "%.3f", guillotMs)) ms; isothermal RORR: \(String(format: "%.2f", rorrMs)) ms")
        // Measured ~2.5 ms and ~130 ms; bounds at ~4× catch gross regressions only.
        #expect(guillotMs < 10)
        #expect(rorrMs < 500)
    }
}
