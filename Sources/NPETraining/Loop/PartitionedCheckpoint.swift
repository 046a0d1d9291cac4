import Foundation
import NPESafetensors
import NPETensor

/// The file layout the GAN and FlexARE checkpoints share: one sealed safetensors file
/// (``NPESafetensors/SealedSafetensors``) whose tensors are named `PART.NAME` (a model's weights, an optimiser's
/// moments, …) and whose `__metadata__[key]` holds the run's state as JSON. Each checkpoint type keeps its own
/// part names, state and errors; this is only the codec.
public enum PartitionedCheckpoint {
    /// The sealed file's bytes.
    public static func encode<State: Encodable>(parts: [String: [String: Tensor]], state: State, metadataKey: String) throws -> Data {
        var tensors: [String: TensorBlob] = [:]
        for (part, dictionary) in parts {
            for (name, tensor) in dictionary { tensors["\(part).\(name)"] = try TensorBlob(shape: tensor.shape, floats: tensor.scalars) }
        }
        let json = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        return try SealedSafetensors.encode(NamedTensors(tensors: tensors, metadata: [metadataKey: json]))
    }

    /// Decodes a file of `url`: its state and every expected part (empty when the file has none of it).
    ///
    /// - Throws: the `Problem` `fail` makes of the reason (an unreadable or damaged file, missing or malformed
    ///   state, a tensor outside the expected parts or not Float32).
    public static func decode<State: Decodable, Problem: Error>(
        _ url: URL, parts expected: [String], metadataKey: String, as: State.Type, fail: (String) -> Problem
    ) throws -> (state: State, parts: [String: [String: Tensor]]) {
        let named: NamedTensors
        do { named = try SealedSafetensors.decode(try Data(contentsOf: url)) } catch {
            throw fail("unusable (\(error)); it cannot be resumed. Delete it and rerun without --resume to train from the start")
        }
        guard let json = named.metadata[metadataKey],
              let state = try? JSONDecoder().decode(State.self, from: Data(json.utf8)) else { throw fail("missing or malformed metadata") }
        var parts = Dictionary(uniqueKeysWithValues: expected.map { ($0, [String: Tensor]()) })
        for (key, blob) in named.tensors {
            guard let dot = key.firstIndex(of: "."), parts[String(key[..<dot])] != nil, let floats = blob.floats else {
                throw fail("unexpected tensor '\(key)'")
            }
            parts[String(key[..<dot])]![String(key[key.index(after: dot)...])] = try Tensor(shape: blob.shape, scalars: floats)
        }
        return (state, parts)
    }
}
