import Foundation
import NPEChecksum

/// A SHA-256 of an HDF5 file's content, kept in the file's 512-byte user block and checked before libhdf5 reads a
/// byte of the file.
///
/// Why: libhdf5 (1.10) trusts its own metadata. A single corrupted byte in a variable-length string's heap can
/// make it read out of bounds and crash the process (SIGSEGV) instead of returning an error, so a damaged file
/// must be recognised before HDF5 parses it. Every file ExoNPE writes through ``HDF5File`` is sealed.
///
/// Layout (docs/dataset-format.md, "File seal"): HDF5 allows a user block before the superblock, which it never
/// reads; ours is 512 bytes. It holds the ASCII line `EXONPE-SEAL 1 sha256 <64 hex digits>\n` followed by NUL
/// bytes; the digest covers bytes 512 to the end of the file. h5py and every HDF5 tool open the file as usual (the
/// superblock is searched at 0, 512, 1024, …). A file without the line (written by another tool, or by an older
/// ExoNPE) is read unverified.
enum HDF5FileSeal {
    /// The user block size (HDF5 requires a power of two ≥ 512).
    static let userBlockByteCount = 512
    static let magic = "EXONPE-SEAL 1 sha256 "

    /// Writes the seal of the closed file at `path` (created with the user block).
    static func seal(path: String) throws {
        let url = URL(fileURLWithPath: path)
        let digest: String
        do { digest = try SHA256.hexDigest(ofFileAt: url, from: UInt64(userBlockByteCount)) } catch {
            throw HDF5Error.invalidArgument(path: path, reason: "cannot seal: \(error)")
        }
        var block = Array((magic + digest + "\n").utf8)
        block += [UInt8](repeating: 0, count: userBlockByteCount - block.count)
        do {
            let handle = try FileHandle(forUpdating: url)
            defer { try? handle.close() }
            try handle.seek(toOffset: 0)
            try handle.write(contentsOf: block)
        } catch {
            throw HDF5Error.invalidArgument(path: path, reason: "cannot write the seal: \(error.localizedDescription)")
        }
    }

    /// The recorded digest, or nil when the file carries no seal.
    static func recordedDigest(path: String) throws -> String? {
        let prefix: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            prefix = try handle.read(upToCount: magic.utf8.count + 65) ?? Data()
        } catch {
            throw HDF5Error.invalidArgument(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        let expected = Array(magic.utf8)
        guard prefix.starts(with: expected) else {
            // A seal line with a few damaged bytes must not pass as "another tool's file" and switch the check off:
            // within 4 bytes of the magic is a damaged seal (no other tool's user block starts that way).
            let differing = zip(prefix, expected).filter { $0 != $1 }.count + max(0, expected.count - prefix.count)
            if differing <= 4 { throw HDF5Error.sealMismatch(path: path, recorded: "a damaged seal line", computed: "-") }
            return nil
        }
        let hex = String(decoding: prefix.dropFirst(magic.utf8.count).prefix(64), as: UTF8.self)
        guard hex.count == 64, hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
              prefix.count == magic.utf8.count + 65, prefix.last == UInt8(ascii: "\n") else {
            throw HDF5Error.sealMismatch(path: path, recorded: "a damaged seal line", computed: "-")
        }
        return hex
    }

    /// Checks the seal of the file at `path`; returns whether it had one.
    ///
    /// - Throws: ``HDF5Error/sealMismatch(path:recorded:computed:)`` when the content does not match.
    @discardableResult
    static func verify(path: String) throws -> Bool {
        guard let recorded = try recordedDigest(path: path) else { return false }
        let computed: String
        do { computed = try SHA256.hexDigest(ofFileAt: URL(fileURLWithPath: path), from: UInt64(userBlockByteCount)) } catch {
            throw HDF5Error.invalidArgument(path: path, reason: "cannot verify the seal: \(error)")
        }
        guard computed == recorded else { throw HDF5Error.sealMismatch(path: path, recorded: recorded, computed: computed) }
        return true
    }
}
