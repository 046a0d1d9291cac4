/// Rows spread over the ADC2023 prior box (fixed seed), so tests see typical atmospheres: input order
/// planet_radius, planet_temp, log_H2O, log_CO2, log_CO, log_CH4, log_NH3, planet_mass, star_radius.
enum TransmissionTestRows {
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
}
