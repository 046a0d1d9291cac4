import CHDF5
import Foundation

/// HDF5 filter 32004 (LZ4), registered in-process with `H5Zregister`.
///
/// The filter callback follows HDF5's contract: it receives the chunk in a `malloc`ed buffer,
/// returns a newly `malloc`ed buffer (freeing the old one) and its size, or 0 to signal failure, in
/// which case HDF5 fails the read or write with an error that ``HDF5Runtime`` turns into an
/// ``HDF5Error``. `cd_values[0]` is the block size in bytes (0 = the plugin default), the same
/// parameters `hdf5plugin.LZ4()` writes; `cd_values[1]` (encoder choice) is accepted and ignored,
/// because the on-disk format does not depend on it.
enum LZ4Filter {
    static let identifier: H5Z_filter_t = 32004
    /// The `cd_values` we write: block size 0, i.e. one block per chunk, as hdf5plugin does by default.
    static let defaultClientData: [UInt32] = [0]

    /// The class struct keeps a pointer to its name for the life of the process, so the C string is
    /// allocated once and intentionally never freed.
    private static let name: UnsafeMutablePointer<CChar> = strdup("lz4 (ExoNPE, liblz4)")!

    /// Registers the filter. Called once from ``HDF5Runtime``'s start-up (a Swift global initialiser,
    /// so thread-safe); `H5Zregister` replaces an earlier registration of the same id, so calling it
    /// again would also be harmless.
    static func register() {
        var filterClass = H5Z_class2_t(
            version: npe_H5Z_CLASS_T_VERS(), id: identifier, encoder_present: 1, decoder_present: 1,
            name: UnsafePointer(name), can_apply: nil, set_local: nil, filter: filterFunction)
        let status = H5Zregister(&filterClass)
        precondition(status >= 0, "H5Zregister(32004) failed: \(HDF5Runtime.drainErrorStack())")
    }

    /// Whether the library currently has filter 32004 available (for tests and diagnostics).
    static func isAvailable() -> Bool {
        HDF5Runtime.locked { H5Zfilter_avail(identifier) > 0 }
    }

    private static let filterFunction: H5Z_func_t = { flags, clientDataCount, clientData, byteCount, bufferSize, buffer in
        guard let buffer, let bufferSize, let input = buffer.pointee else { return 0 }
        let source = UnsafeRawBufferPointer(start: input, count: byteCount)
        let requestedBlock = clientDataCount > 0 ? Int(clientData![0]) : 0
        let output: UnsafeMutableRawPointer
        let outputCount: Int
        do {
            if flags & npe_H5Z_FLAG_REVERSE() != 0 {
                outputCount = try LZ4ChunkCodec.decodedByteCount(of: source)
                guard let buffer = malloc(max(outputCount, 1)) else { return 0 }  // HDF5 reports the failed read
                output = buffer
                do {
                    try LZ4ChunkCodec.decode(source, into: UnsafeMutableRawBufferPointer(start: output, count: outputCount))
                } catch {
                    free(output)
                    throw error
                }
            } else {
                let block = try LZ4ChunkCodec.blockSize(forChunkOf: byteCount, requested: requestedBlock)
                let capacity = LZ4ChunkCodec.maximumEncodedByteCount(forChunkOf: byteCount, blockSize: block)
                guard let buffer = malloc(capacity) else { return 0 }
                output = buffer
                outputCount = LZ4ChunkCodec.encode(
                    source, blockSize: block, into: UnsafeMutableRawBufferPointer(start: output, count: capacity))
            }
        } catch {
            return 0
        }
        free(input)
        buffer.pointee = output
        bufferSize.pointee = max(outputCount, 1)
        return outputCount
    }
}
