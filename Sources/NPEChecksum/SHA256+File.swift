import Foundation

/// A file could not be read while computing its digest.
public struct ChecksumError: Error, CustomStringConvertible, Sendable {
    /// The file being digested.
    public var path: String
    /// What went wrong, in words.
    public var reason: String

    public var description: String { "cannot digest \(path): \(reason)" }
}

extension SHA256 {
    /// The block size used to stream files: large enough that per-read overhead vanishes, small enough to keep
    /// memory flat for multi-gigabyte datasets.
    public static let fileBlockByteCount = 1 << 20

    /// Digests the file at `url` from byte `offset` to its end, reading it in ``fileBlockByteCount``-byte blocks.
    ///
    /// - Returns: the 32-byte digest.
    /// - Throws: ``ChecksumError`` naming the path when the file cannot be opened or read.
    public static func digest(ofFileAt url: URL, from offset: UInt64 = 0) throws -> [UInt8] {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
            if offset > 0 { try handle.seek(toOffset: offset) }
        } catch {
            throw ChecksumError(path: url.path, reason: "open failed (\(error.localizedDescription))")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let block: Data?
            do {
                block = try handle.read(upToCount: fileBlockByteCount)
            } catch {
                throw ChecksumError(path: url.path, reason: "read failed (\(error.localizedDescription))")
            }
            guard let block, !block.isEmpty else { break }
            hasher.update(block)
        }
        return hasher.finalize()
    }

    /// The lowercase hexadecimal digest of the file at `url` (see ``digest(ofFileAt:)``).
    public static func hexDigest(ofFileAt url: URL, from offset: UInt64 = 0) throws -> String {
        hex(try digest(ofFileAt: url, from: offset))
    }
}
