import Foundation

/// Element conversion between typed arrays and the little-endian bytes of a safetensors data buffer.
/// Explicit `littleEndian` conversions keep the format right on any host, at no cost on little-endian ones.
extension Safetensors {
    static func appendLittleEndian(_ values: TensorBlob.Values, to output: inout Data) {
        switch values {
        case .float32(let elements): append(elements.map { $0.bitPattern.littleEndian }, to: &output)
        case .float64(let elements): append(elements.map { $0.bitPattern.littleEndian }, to: &output)
        case .int64(let elements): append(elements.map { $0.littleEndian }, to: &output)
        }
    }

    private static func append<Word: FixedWidthInteger>(_ words: [Word], to output: inout Data) {
        words.withUnsafeBytes { output.append(contentsOf: $0) }
    }

    static func readLittleEndian(_ dtype: TensorDType, _ bytes: UnsafeRawBufferPointer) -> TensorBlob.Values {
        switch dtype {
        case .float32:
            return .float32(words(UInt32.self, bytes).map { Float(bitPattern: $0) })
        case .float64:
            return .float64(words(UInt64.self, bytes).map { Double(bitPattern: $0) })
        case .int64:
            return .int64(words(Int64.self, bytes))
        }
    }

    /// Reads whole words; the data buffer carries no alignment guarantee in memory, hence `loadUnaligned`.
    private static func words<Word: FixedWidthInteger>(_ type: Word.Type, _ bytes: UnsafeRawBufferPointer) -> [Word] {
        let count = bytes.count / MemoryLayout<Word>.size
        return [Word](unsafeUninitializedCapacity: count) { buffer, initialised in
            for index in 0..<count {
                buffer[index] = Word(littleEndian: bytes.loadUnaligned(fromByteOffset: index * MemoryLayout<Word>.size, as: Word.self))
            }
            initialised = count
        }
    }
}
