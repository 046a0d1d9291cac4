import Foundation
import NPEData
import NPESimulators

/// A fresh temporary directory for one test.
func temporaryDirectory(_ label: String = #function) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("npe-datasets-tests-\(label.filter { $0.isLetter })-\(UInt32.random(in: 0 ... .max))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A deterministic simulator that fails on purpose: x = (a + b, a · b, sin a); NaN in x₂ when a > 0.8, +∞ in x₀
/// when b > 0.9, and a thrown error when a < −0.9. With a, b ~ U(−1, 1), about 10 %, 5 % and 5 % of rows fail.
struct FlakySimulator: RowSimulator {
    var name: String { "flaky" }
    var version: String { "1" }
    var inputNames: [String] { ["a", "b"] }
    var outputCount: Int { 3 }

    func simulate(_ inputs: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) throws {
        let a = inputs[0]
        let b = inputs[1]
        if a < -0.9 { throw SimulatorError.inputOutOfDomain(input: "a", value: a, reason: "below -0.9 on purpose") }
        output[0] = b > 0.9 ? .infinity : a + b
        output[1] = a * b
        output[2] = a > 0.8 ? .nan : sin(a)
    }

    static let prior = try! Prior(
        yaml: """
            parameters:
              - {name: a, prior: {uniform: [-1, 1]}}
              - {name: b, prior: {uniform: [-1, 1]}}
              - {name: g, unit: K, context: true, prior: {log_uniform: [1, 10]}}
            """, source: "flaky.yaml")
}

/// Every row of a dataset, for exact comparisons.
func readAllRows(_ url: URL) throws -> TrainingRows {
    let reader = try TrainingDatasetReader(contentsOf: url)
    defer { try? reader.close() }
    return try reader.readRows(0..<reader.rowCount)
}
