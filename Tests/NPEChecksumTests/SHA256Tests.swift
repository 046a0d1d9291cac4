import Foundation
import NPEChecksum
import Testing

/// NIST FIPS 180-4 example vectors (csrc.nist.gov "Examples with Intermediate Values", SHA-256), plus the
/// one-million-'a' vector from FIPS 180-2 appendix B.3. Digests are exact: no tolerance applies.
struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func nistVector(message: String, expected: String) {
        #expect(SHA256.hexDigest(of: Data(message.utf8)) == expected)
    }

    @Test func oneMillionA() {
        let data = Data(repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hexDigest(of: data) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Splitting the message at every offset, including ones that straddle the 64-byte block and the 56-byte
    /// padding boundary, must not change the digest.
    @Test func splitPointsDoNotMatter() {
        let message = Data((0..<200).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        let whole = SHA256.hexDigest(of: message)
        for split in 0...message.count {
            var hasher = SHA256()
            hasher.update(message.prefix(split))
            hasher.update(message.dropFirst(split))
            #expect(hasher.hexFinalize() == whole, "split at \(split)")
        }
        // Lengths 55, 56, 63, 64 and 65 exercise one- and two-block padding.
        #expect(SHA256.hexDigest(of: Data(repeating: 0x61, count: 55)) != SHA256.hexDigest(of: Data(repeating: 0x61, count: 56)))
    }

    /// The file helper streams in 1 MiB blocks; a file longer than one block must match the in-memory digest.
    @Test func fileDigestMatchesInMemory() throws {
        let data = Data((0..<(SHA256.fileBlockByteCount + 12_345)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sha256-\(UUID().uuidString).bin")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try SHA256.hexDigest(ofFileAt: url) == SHA256.hexDigest(of: data))
    }

    @Test func missingFileNamesThePath() {
        let url = URL(fileURLWithPath: "/nonexistent/exonpe-\(UUID().uuidString)")
        #expect {
            _ = try SHA256.digest(ofFileAt: url)
        } throws: { error in
            (error as? ChecksumError)?.path == url.path
        }
    }
}
