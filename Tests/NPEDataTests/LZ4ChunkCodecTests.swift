import Testing
@testable import NPEData

/// The 32004 chunk codec on its own, without HDF5.
@Suite struct LZ4ChunkCodecTests {
    private func roundTrip(_ bytes: [UInt8], requestedBlock: Int = 0) throws -> (encoded: [UInt8], decoded: [UInt8]) {
        let block = try LZ4ChunkCodec.blockSize(forChunkOf: bytes.count, requested: requestedBlock)
        var encoded = [UInt8](repeating: 0, count: LZ4ChunkCodec.maximumEncodedByteCount(forChunkOf: bytes.count,
                                                                                         blockSize: block))
        let written = bytes.withUnsafeBytes { input in
            encoded.withUnsafeMutableBytes { LZ4ChunkCodec.encode(input, blockSize: block, into: $0) }
        }
        encoded.removeSubrange(written...)
        let size = try encoded.withUnsafeBytes { try LZ4ChunkCodec.decodedByteCount(of: $0) }
        var decoded = [UInt8](repeating: 0xAA, count: size)
        try encoded.withUnsafeBytes { input in
            try decoded.withUnsafeMutableBytes { try LZ4ChunkCodec.decode(input, into: $0) }
        }
        return (encoded, decoded)
    }

    private func bigEndian(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { $0 << 8 | Int($1) }
    }

    @Test func compressibleChunkHasPluginHeaderAndShrinks() throws {
        let bytes = (0..<200_000).map { UInt8($0 % 7) }
        let (encoded, decoded) = try roundTrip(bytes)
        #expect(decoded == bytes)
        #expect(bigEndian(encoded[0..<8]) == 200_000)
        #expect(bigEndian(encoded[8..<12]) == 200_000)  // default: one block as large as the chunk
        let stored = bigEndian(encoded[12..<16])
        #expect(stored < 2_000)
        #expect(encoded.count == 16 + stored)
    }

    @Test func incompressibleBlockIsStoredRaw() throws {
        var generator = SeededValues(seed: 1)
        let bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let (encoded, decoded) = try roundTrip(bytes)
        #expect(decoded == bytes)
        #expect(bigEndian(encoded[12..<16]) == 4096)  // stored size == raw size marks a raw block
        #expect(Array(encoded[16...]) == bytes)
    }

    @Test(arguments: [(0, 0), (1, 0), (2, 0), (17, 5), (4096, 1000), (4096, 4096), (100, 1)])
    func edgeSizesAndSeveralBlocks(byteCount: Int, requestedBlock: Int) throws {
        var generator = SeededValues(seed: UInt64(byteCount))
        // Half random, half constant: some blocks compress, some are stored raw.
        let bytes = (0..<byteCount).map { $0 < byteCount / 2 ? UInt8(truncatingIfNeeded: generator.next()) : 3 }
        let (encoded, decoded) = try roundTrip(bytes, requestedBlock: requestedBlock)
        #expect(decoded == bytes)
        #expect(bigEndian(encoded[0..<8]) == byteCount)
        if byteCount == 0 { #expect(encoded.count == 12) }
    }

    @Test func corruptInputIsRejectedNotMisread() throws {
        let bytes = (0..<10_000).map { UInt8($0 % 13) }
        var (encoded, _) = try roundTrip(bytes)
        let truncated = Array(encoded.prefix(encoded.count - 3))
        var output = [UInt8](repeating: 0, count: bytes.count)
        #expect(throws: LZ4ChunkCodec.CodecError.self) {
            try truncated.withUnsafeBytes { input in try output.withUnsafeMutableBytes { try LZ4ChunkCodec.decode(input, into: $0) } }
        }
        encoded[16] ^= 0xFF  // damage the LZ4 token stream
        encoded[17] ^= 0xFF
        #expect(throws: LZ4ChunkCodec.CodecError.self) {
            try encoded.withUnsafeBytes { input in try output.withUnsafeMutableBytes { try LZ4ChunkCodec.decode(input, into: $0) } }
        }
        #expect(throws: LZ4ChunkCodec.CodecError.self) {
            try [UInt8](repeating: 0, count: 5).withUnsafeBytes { try LZ4ChunkCodec.decodedByteCount(of: $0) }
        }
    }
}
