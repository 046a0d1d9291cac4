import Foundation
import NPERegistry
import NPETensor
import NPESafetensors
import Testing
@testable import NPETraining

/// Regression tests for the trainer defects of issue 13 (each failed before its fix).
struct TrainingReliabilityTests {
    private func checkpoint() throws -> TrainingCheckpoint {
        let weights = ["layer.weight": try Tensor(shape: [64, 8], scalars: (0..<512).map { Float($0) / 512 })]
        let state = TrainingCheckpoint.State(
            completedEpochs: 1, bestValidationLoss: 0.5, bestEpoch: 1, epochsWithoutImprovement: 0, plateau: nil,
            history: [], runIdentity: "run")
        return TrainingCheckpoint(state: state, model: weights, best: weights, optimizer: weights)
    }

    /// Defect 2: one flipped byte in the middle of `checkpoint.safetensors` resumed silently (different weights
    /// were then published). The checkpoint now carries a SHA-256 seal that reading verifies, and the error says
    /// what to do.
    @Test func aDamagedCheckpointIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npe-ckpt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        let original = try checkpoint()
        try original.write(to: url)
        let intact = try TrainingCheckpoint.read(from: url)
        #expect(intact.model == original.model && intact.state == original.state)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0x01  // inside the tensor data: still a well-formed safetensors file
        try bytes.write(to: url)
        #expect(throws: Never.self) { _ = try Safetensors.decode(bytes) }  // what resume used to accept
        #expect {
            _ = try TrainingCheckpoint.read(from: url)
        } throws: { error in
            guard case .checkpoint(let path, let reason)? = error as? TrainingError else { return false }
            return path == url.path && reason.contains("damaged") && reason.contains("Delete it and rerun without --resume")
        }
    }

    /// Defect 5: a constant x column has robust scale 0, its interval was ±∞, and encoding the training record
    /// (JSON) failed after training, so nothing was published. The unbounded sides are now written as null.
    @Test func aConstantColumnEncodesAndRoundTrips() throws {
        // Column 0 varies, column 1 is constant, column 2 is zero in 90% of rows (IQR 0: the MAD fallback).
        var x: [Float] = []
        for r in 0..<200 { x += [Float(r % 17) - 8, 0, r % 10 == 0 ? Float(r) : 0] }
        let filter = OutlierFilter(x: x, count: 200, limit: 20)
        #expect(filter.lower[1] == -.infinity && filter.upper[1] == .infinity)
        #expect(filter.upper[2].isFinite && filter.upper[2] >= 190, "the sparse bin keeps its own values: \(filter.upper[2])")
        let json = try JSONEncoder().encode(filter)
        #expect(String(decoding: json, as: UTF8.self).contains("null"))
        #expect(try JSONDecoder().decode(OutlierFilter.self, from: json) == filter)
        #expect(filter.accepts([0, 5, 0][...]))
    }

    /// Defect 3 (library side): the checkpoint directory has one owner; a second run is refused with a message
    /// naming the live run and saying what to do.
    @Test func aCheckpointDirectoryHasOneOwner() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npe-own-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let request = TrainingRequest(dataset: directory, registry: directory, modelName: "lg",
                                      configuration: TrainingConfiguration(), checkpointDirectory: directory.appendingPathComponent("ck"),
                                      resume: false)
        let lock = try request.lockCheckpointDirectory()
        #expect {
            _ = try request.lockCheckpointDirectory()
        } throws: { error in
            let text = "\(error)"
            return text.contains("in use by a running process") && text.contains("pid \(getpid())")
                && text.contains("--checkpoint-dir")
        }
        lock.abandon()
        #expect(!FileManager.default.fileExists(atPath: directory.path))  // a failed start leaves nothing behind
        _ = try request.lockCheckpointDirectory()
    }
}
