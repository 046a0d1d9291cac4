import Foundation
import NPEChecksum

/// Safetensors files that carry a SHA-256 of their own content, for state that is rewritten in place and read back
/// by the same program (training checkpoints), where a flipped bit would otherwise load silently.
///
/// The seal is the metadata entry `__sha256__`: the lowercase hex SHA-256 of the file that ``Safetensors/encode(_:)``
/// writes for the same tensors and metadata *without* that entry. Because that encoding is canonical (sorted
/// metadata, tensors in the reference writer's order, fixed padding), the reader recomputes it from what it parsed
/// and compares: any change to a tensor byte, a shape, a name or a metadata value breaks the seal, and a change
/// that breaks the format itself is caught by the parser first. The file stays a plain safetensors file that any
/// reader can open. (Registry weights do not need this: their card and manifest carry their SHA-256.)
public enum SealedSafetensors {
    /// The metadata key of the seal.
    public static let sealKey = "__sha256__"

    /// Encodes `tensors` with the seal added.
    ///
    /// - Throws: ``SafetensorsError`` when `tensors` cannot be encoded, or already uses the key ``sealKey``.
    public static func encode(_ tensors: NamedTensors) throws -> Data {
        guard tensors.metadata[sealKey] == nil else {
            throw SafetensorsError(reason: "metadata key \(sealKey) is reserved for the seal")
        }
        var sealed = tensors
        sealed.metadata[sealKey] = SHA256.hexDigest(of: try Safetensors.encode(tensors))
        return try Safetensors.encode(sealed)
    }

    /// Parses `data` and checks its seal; the returned metadata no longer holds ``sealKey``.
    ///
    /// - Throws: ``SealError`` for a file without a seal or one whose content does not match it, and
    ///   ``SafetensorsError`` for bytes that are not safetensors at all.
    public static func decode(_ data: Data) throws -> NamedTensors {
        var named = try Safetensors.decode(data)
        guard let recorded = named.metadata.removeValue(forKey: sealKey) else { throw SealError.missing }
        let computed = SHA256.hexDigest(of: try Safetensors.encode(named))
        guard computed == recorded else { throw SealError.mismatch(recorded: recorded, computed: computed) }
        return named
    }
}

/// A sealed safetensors file whose seal is missing or does not match its content.
public enum SealError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No `__sha256__` metadata entry (written by an older version, or not by us).
    case missing
    /// The content hashes to `computed`, but the file records `recorded`: the file was damaged or edited.
    case mismatch(recorded: String, computed: String)

    public var description: String {
        switch self {
        case .missing: return "no content seal (\(SealedSafetensors.sealKey)); the file was not written by this version"
        case let .mismatch(recorded, computed):
            return "content does not match its seal (records SHA-256 \(recorded.prefix(16))…, content hashes to \(computed.prefix(16))…): the file is damaged"
        }
    }
}
