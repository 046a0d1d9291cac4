import Foundation
@testable import NPERegistry
import Testing
import NPESafetensors

/// Shared fixtures: a throwaway registry directory, a fully populated card, and deterministic weights.
enum Fixtures {
    /// A fresh, empty directory under the system temporary directory.
    static func temporaryDirectory(_ label: String = "registry") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("exonpe-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Deletes a test directory, read-only version directories included.
    static func cleanUp(_ url: URL) {
        try? FileSystem.removeTree(url.path)
    }

    /// A card with every field set, so round trips exercise the whole schema.
    static func card(metric: Double = 0.125, seed: UInt64 = 42) -> ModelCard {
        ModelCard(
            kind: "npe-flow",
            architecture: ["flow": "nsf", "transforms": 5, "hiddenFeatures": [64, 64], "bins": 8, "embedding": ["kind": "mlp", "width": 128.5]],
            parameters: [
                ParameterDescription(name: "log_g", unit: "cm s^-2", prior: ["family": "uniform", "low": 2.0, "high": 4.5]),
                ParameterDescription(name: "T", unit: "K", prior: ["family": "log-uniform", "low": 500, "high": 3000]),
            ],
            inputGrid: InputGrid(wavelengths: [0.5, 1.25, 7.75], binWidths: [0.1, 0.2, 0.4]),
            contextInputs: [ContextInput(name: "stellar_radius", unit: "R_sun")],
            standardisation: ["x": StandardisationStatistics(mean: [0.01, 0.02, 0.03], standardDeviation: [1e-3, 2e-3, 3e-3])],
            noiseModel: ["kind": "gaussian", "sigmaPPM": 50, "conditioned": true],
            dataset: DatasetLineage(path: "datasets/ariel-1k", digest: "sha256:" + String(repeating: "ab", count: 32), rowCount: 1000,
                                    simulator: SimulatorLineage(name: "ariel-transmission", version: "1.2.0", configuration: ["clouds": "grey"])),
            training: TrainingRecord(configuration: ["batchSize": 256, "learningRate": 0.0005, "epochs": 30, "optimizer": nil], seed: seed),
            metrics: ["trainLoss": -3.5, "validationLoss": metric],
            toolVersion: "0.1.0")
    }

    /// Weights with awkward values (negative zero, subnormal, largest finite, infinity) so that a round trip must
    /// be bit-exact, plus a scalar, an empty tensor, and F64/I64 entries.
    static func weights(seed: UInt32 = 1) throws -> NamedTensors {
        var state = seed
        func next() -> Float {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(Int32(bitPattern: state)) / Float(Int32.max)
        }
        var first = (0..<(16 * 8)).map { _ in next() }
        first[0] = -0.0
        first[1] = Float.leastNonzeroMagnitude
        first[2] = Float.greatestFiniteMagnitude
        first[3] = -Float.infinity
        return NamedTensors(tensors: [
            "flow.0.weight": try TensorBlob(shape: [16, 8], floats: first),
            "flow.0.bias": try TensorBlob(shape: [16], floats: (0..<16).map { _ in next() }),
            "temperature": try TensorBlob(shape: [], floats: [0.75]),
            "empty": try TensorBlob(shape: [0, 4], floats: []),
            "statistics.mean": try TensorBlob(shape: [3], values: .float64([0.1, -2.5e-300, 1e300])),
            "step": try TensorBlob(shape: [1], values: .int64([Int64.min + 1])),
        ], metadata: ["format": "pt", "note": "quote \" and newline \n"])
    }

    /// Bit patterns, so that -0.0 vs 0.0 and NaN payloads count as differences.
    static func bits(_ tensors: NamedTensors) -> [String: [UInt64]] {
        tensors.tensors.mapValues { blob in
            switch blob.values {
            case .float32(let values): return values.map { UInt64($0.bitPattern) }
            case .float64(let values): return values.map { $0.bitPattern }
            case .int64(let values): return values.map { UInt64(bitPattern: $0) }
            }
        }
    }
}

/// Runs `body` and returns the `RegistryError` it throws, recording an issue at the caller if it throws none.
func registryError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> RegistryError? {
    do {
        try body()
        Issue.record("expected a RegistryError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as RegistryError {
        return error
    } catch {
        Issue.record("expected a RegistryError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
