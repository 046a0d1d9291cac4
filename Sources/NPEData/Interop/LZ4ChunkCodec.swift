import CLZ4

/// The chunk format of HDF5 filter 32004 (LZ4), written and read with liblz4's block API.
///
/// Layout (all integers big-endian; see docs/dataset-format.md and hdf5_plugins' LZ4_HDF5_format.md):
///
///     offset 0   int64  original (uncompressed) chunk size in bytes
///     offset 8   int32  block size: uncompressed bytes per block (the last block may be shorter)
///     offset 12  per block: int32 stored size s, then s bytes
///
/// A block whose stored size equals its uncompressed size is stored raw (LZ4 could not shrink it);
/// any other block is an LZ4 block-format payload. An empty chunk has a header and no blocks.
enum LZ4ChunkCodec {
    static let headerByteCount = 12
    /// The plugin's default block size when `cd_values[0]` is 0: 1 GiB, i.e. in practice one block
    /// per chunk (the header then records `min(1 GiB, chunk size)`).
    static let defaultBlockSize = 1 << 30
    /// liblz4's largest single input (LZ4_MAX_INPUT_SIZE, 0x7E000000).
    static let maximumBlockSize = 0x7E00_0000

    enum CodecError: Error, Equatable {
        case invalidBlockSize(Int)
        case truncated(at: Int)
        case corruptHeader(String)
        case corruptBlock(index: Int)
    }

    /// The block size actually used for a chunk of `byteCount` bytes when `requested` is asked for
    /// (0 = default), mirroring the plugin: never more than the chunk itself.
    static func blockSize(forChunkOf byteCount: Int, requested: Int) throws -> Int {
        let wanted = requested == 0 ? defaultBlockSize : requested
        guard wanted > 0, wanted <= maximumBlockSize else { throw CodecError.invalidBlockSize(requested) }
        return min(wanted, byteCount)
    }

    /// Upper bound of the encoded size. Blocks that do not shrink are stored raw, so the worst case
    /// is the input plus the 12-byte header plus 4 bytes per block.
    static func maximumEncodedByteCount(forChunkOf byteCount: Int, blockSize: Int) -> Int {
        let blocks = blockSize == 0 ? 0 : (byteCount + blockSize - 1) / blockSize
        return headerByteCount + 4 * blocks + byteCount
    }

    /// Encodes `input` into `output` (capacity at least ``maximumEncodedByteCount(forChunkOf:blockSize:)``);
    /// returns the number of bytes written.
    static func encode(_ input: UnsafeRawBufferPointer, blockSize: Int,
                       into output: UnsafeMutableRawBufferPointer) -> Int {
        storeBigEndian(Int64(input.count), at: 0, in: output)
        storeBigEndian(Int32(blockSize), at: 8, in: output)
        var write = headerByteCount
        var read = 0
        while read < input.count {
            let length = min(blockSize, input.count - read)
            let source = input.baseAddress! + read
            let payload = output.baseAddress! + write + 4
            // Capacity one byte short of the raw size: liblz4 returns 0 when the block cannot shrink,
            // which is exactly when the format wants it stored raw.
            let compressed = Int(LZ4_compress_default(
                source.assumingMemoryBound(to: CChar.self), payload.assumingMemoryBound(to: CChar.self),
                Int32(length), Int32(length - 1)))
            let stored: Int
            if compressed > 0 {
                stored = compressed
            } else {
                payload.copyMemory(from: source, byteCount: length)
                stored = length
            }
            storeBigEndian(Int32(stored), at: write, in: output)
            write += 4 + stored
            read += length
        }
        return write
    }

    /// The original size recorded in an encoded chunk's header.
    static func decodedByteCount(of input: UnsafeRawBufferPointer) throws -> Int {
        guard input.count >= headerByteCount else { throw CodecError.truncated(at: 0) }
        let size = loadBigEndianInt64(at: 0, in: input)
        guard size >= 0 else { throw CodecError.corruptHeader("negative original size \(size)") }
        // LZ4 expands a block at most 255-fold (a match token adds at most 255 bytes per input byte), so a larger
        // recorded size is a damaged header; refusing it here keeps a flipped bit from asking for terabytes.
        guard size / 255 <= Int64(input.count) else {
            throw CodecError.corruptHeader("original size \(size) is more than 255 times the \(input.count) encoded bytes")
        }
        return Int(size)
    }

    /// Decodes `input` into `output`, whose count must equal ``decodedByteCount(of:)``.
    static func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        let total = try decodedByteCount(of: input)
        guard output.count == total else { throw CodecError.corruptHeader("output size mismatch") }
        guard total > 0 else { return }
        let recordedBlock = Int(loadBigEndianInt32(at: 8, in: input))
        guard recordedBlock > 0 else { throw CodecError.corruptHeader("block size \(recordedBlock)") }
        let blockSize = min(recordedBlock, total)
        var read = headerByteCount
        var written = 0
        var index = 0
        while written < total {
            let length = min(blockSize, total - written)
            guard read + 4 <= input.count else { throw CodecError.truncated(at: read) }
            let stored = Int(loadBigEndianInt32(at: read, in: input))
            read += 4
            guard stored > 0, read + stored <= input.count else { throw CodecError.truncated(at: read) }
            let source = input.baseAddress! + read
            let target = output.baseAddress! + written
            if stored == length {
                target.copyMemory(from: source, byteCount: length)
            } else {
                let produced = LZ4_decompress_safe(
                    source.assumingMemoryBound(to: CChar.self), target.assumingMemoryBound(to: CChar.self),
                    Int32(stored), Int32(length))
                guard produced == Int32(length) else { throw CodecError.corruptBlock(index: index) }
            }
            read += stored
            written += length
            index += 1
        }
    }

    private static func storeBigEndian<I: FixedWidthInteger>(_ value: I, at offset: Int,
                                                              in buffer: UnsafeMutableRawBufferPointer) {
        buffer.storeBytes(of: value.bigEndian, toByteOffset: offset, as: I.self)
    }

    private static func loadBigEndianInt64(at offset: Int, in buffer: UnsafeRawBufferPointer) -> Int64 {
        Int64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: Int64.self))
    }

    private static func loadBigEndianInt32(at offset: Int, in buffer: UnsafeRawBufferPointer) -> Int32 {
        Int32(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self))
    }
}
