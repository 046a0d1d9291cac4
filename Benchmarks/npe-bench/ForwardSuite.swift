import Foundation
import NPESimulators
import NPESupport
import NPETransmission

/// `forward`: the built-in ARIEL transmission model alone.
///
/// - `forward_model_ms`: one spectrum on one core, the default configuration, averaged over 256 distinct
///   `ariel-adc2023` prior draws (cycled), best of 5 rounds of at least 0.5 s (``forwardModelMilliseconds()``).
///
/// `FORWARD_CALLS=N` instead runs exactly N spectra once, untimed, and prints nothing: a fixed workload for
/// `valgrind --tool=callgrind`, whose instruction count per spectrum is then the total over N.
enum ForwardSuite {
    static func run() throws {
        if let calls = Int(ProcessInfo.processInfo.environment["FORWARD_CALLS"] ?? "") {
            let kernel = try ForwardModelKernel()
            for _ in 0..<calls { try kernel.next() }
            return
        }
        try forwardModelFigure(suite: "forward").print()
    }
}

/// Milliseconds per spectrum of the ARIEL model on one core (see ``ForwardSuite``); other suites that report
/// `forward_model_ms` (`dataset`, `sequential`) call this so that every figure of that name is the same measurement.
func forwardModelMilliseconds() throws -> Double {
    let kernel = try ForwardModelKernel()
    return try secondsPerCall(warmup: 64, rounds: 5, minimumSeconds: 0.5) { try kernel.next() } * 1e3
}

/// `forward_model_ms` as a figure of `suite`.
func forwardModelFigure(suite: String) throws -> Figure {
    let bins = try ArielTransmissionSimulator().outputCount
    return Figure(suite: suite, name: "forward_model_ms", value: try forwardModelMilliseconds(), unit: "ms",
                  extra: ["threads": 1, "bins": bins])
}

/// The simulator, 256 prior draws in its input order (from the generator the dataset builder uses), and one
/// output row: each ``next()`` simulates the next draw, cycling.
final class ForwardModelKernel {
    let simulator: ArielTransmissionSimulator
    let draws: [[Double]]
    var output: [Double]
    var index = 0

    init() throws {
        simulator = try ArielTransmissionSimulator()
        let prior = try Prior.arielADC2023()
        let positions = try prior.parameterIndices(forInputs: simulator.inputNames, simulator: simulator.name)
        draws = (0..<256).map { row in
            let stream = RandomStream(seed: 1).child(UInt64(row))
            let values = prior.draw(uniforms: (0..<prior.uniformCount).map { stream.uniformDouble(UInt64($0)) })
            return positions.map { values[$0] }
        }
        output = [Double](repeating: 0, count: simulator.outputCount)
    }

    func next() throws {
        try draws[index].withUnsafeBufferPointer { inputs in
            try output.withUnsafeMutableBufferPointer { try simulator.simulate(inputs, into: $0) }
        }
        index = (index + 1) % draws.count
    }
}
