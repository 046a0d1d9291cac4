import Foundation
import NPEData
import NPESafetensors
import NPESupport
import NPETensor

/// The on-disk state of one target's refinement (`docs/refine.md`, "Round directory"):
///
///     DIR/run.json                      identity of the run (settings, target, problem); checked by --resume
///     DIR/round-NNN/simulations.h5      the round's θ (K columns), noise-free x, context and failure flags
///     DIR/round-NNN/weights.json        log proposal density and log importance weight of each row
///     DIR/round-NNN/checkpoint.safetensors   the trainer's checkpoint while the round trains
///     DIR/round-NNN/model.safetensors   the estimator's weights after the round's training
///     DIR/round-NNN/record.json         the round's record; written last, it marks the round complete
///
/// Every file is written atomically (temporary sibling, fsync, rename), so a kill leaves complete files only.
struct RoundStore {
    let directory: URL

    struct RunIdentity: Codable, Equatable {
        var formatVersion = 1
        var target: String
        var settings: SequentialSettings
        var problem: String
        var start: String
        var created: Date
    }

    /// Per row of a round: what the importance weights were made of.
    struct Weights: Codable, Equatable {
        var logProposal: [Double]
        /// nil without a likelihood.
        var logWeights: [Double]?
    }

    func round(_ r: Int) -> URL { directory.appendingPathComponent(String(format: "round-%03d", r), isDirectory: true) }
    func simulations(_ r: Int) -> URL { round(r).appendingPathComponent("simulations.h5") }
    func weights(_ r: Int) -> URL { round(r).appendingPathComponent("weights.json") }
    func checkpoint(_ r: Int) -> URL { round(r).appendingPathComponent("checkpoint.safetensors") }
    func model(_ r: Int) -> URL { round(r).appendingPathComponent("model.safetensors") }
    func record(_ r: Int) -> URL { round(r).appendingPathComponent("record.json") }
    var training: URL { directory.appendingPathComponent("training.h5") }
    var identityURL: URL { directory.appendingPathComponent("run.json") }

    /// Starts a run, or checks that a resumed one is the same run; returns the identity in force.
    func open(_ identity: RunIdentity, resume: Bool) throws -> RunIdentity {
        let manager = FileManager.default
        if resume, manager.fileExists(atPath: identityURL.path) {
            let stored: RunIdentity
            do { stored = try JSONDecoder.iso.decode(RunIdentity.self, from: Data(contentsOf: identityURL)) } catch {
                throw SequentialError.resumeMismatch(path: identityURL.path, reason: "unreadable run identity (\(error))")
            }
            var comparable = identity
            comparable.created = stored.created
            guard stored == comparable else {
                throw SequentialError.resumeMismatch(path: identityURL.path, reason: "the target, settings or starting model differ from this run's")
            }
            return stored
        }
        if manager.fileExists(atPath: directory.path) {
            let contents = try manager.contentsOfDirectory(atPath: directory.path)
            if !contents.isEmpty, !resume {
                throw SequentialError.resumeMismatch(path: directory.path, reason: "the directory holds another run; pass --resume or remove it")
            }
        }
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        try write(identity, to: identityURL)
        return identity
    }

    func write(_ value: some Encodable, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(JSONEncoder.iso.encode(value), to: url)
    }

    func read<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        do { return try JSONDecoder.iso.decode(type, from: Data(contentsOf: url)) } catch {
            throw SequentialError.resumeMismatch(path: url.path, reason: "unreadable (\(error))")
        }
    }

    func writeModel(_ parameters: [String: Tensor], round r: Int) throws {
        var blobs: [String: TensorBlob] = [:]
        for (name, tensor) in parameters { blobs[name] = try TensorBlob(shape: tensor.shape, floats: tensor.scalars) }
        try FileManager.default.createDirectory(at: round(r), withIntermediateDirectories: true)
        try AtomicFile.write(SealedSafetensors.encode(NamedTensors(tensors: blobs)), to: model(r))
    }

    func readModel(round r: Int) throws -> [String: Tensor] {
        let url = model(r)
        do {
            let named = try SealedSafetensors.decode(Data(contentsOf: url))
            var result: [String: Tensor] = [:]
            for (name, blob) in named.tensors {
                guard let floats = blob.floats else { throw SequentialError.resumeMismatch(path: url.path, reason: "tensor \(name) is not float32") }
                result[name] = try Tensor(shape: blob.shape, scalars: floats)
            }
            return result
        } catch let error as SequentialError { throw error } catch {
            throw SequentialError.resumeMismatch(path: url.path, reason: "unusable model weights (\(error))")
        }
    }
}

extension JSONEncoder {
    /// Sorted keys and ISO dates: the same value always gives the same bytes.
    static var iso: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        // A failed simulation's log weight is −∞; JSON has no infinities, so they are spelled out.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }
}

extension JSONDecoder {
    static var iso: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
