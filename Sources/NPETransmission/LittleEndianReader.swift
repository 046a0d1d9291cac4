import Foundation
import NPESimulators

/// Sequential reader of little-endian 4-byte words from an in-memory file, with errors that name the file and field.
struct LittleEndianReader {
    let file: String
    let bytes: [UInt8]
    private(set) var offset = 0

    init(file: String, data: Data) {
        self.file = file
        self.bytes = [UInt8](data)
    }

    private mutating func word(_ field: String) throws -> UInt32 {
        guard offset + 4 <= bytes.count else {
            throw ForwardModelDataError.truncated(file: file, field: field, needed: offset + 4, available: bytes.count)
        }
        let value = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
            | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
        offset += 4
        return value
    }

    mutating func int32(_ field: String) throws -> Int {
        Int(Int32(bitPattern: try word(field)))
    }

    mutating func float32(_ field: String) throws -> Float {
        Float(bitPattern: try word(field))
    }

    /// Reads `count` float32 words, widened to Double, and checks that each is finite.
    mutating func float32Array(_ field: String, count: Int) throws -> [Double] {
        guard offset + 4 * count <= bytes.count else {
            throw ForwardModelDataError.truncated(
                file: file, field: field, needed: offset + 4 * count, available: bytes.count)
        }
        var values = [Double](repeating: 0, count: count)
        for index in 0..<count {
            let value = try float32(field)
            guard value.isFinite else {
                throw ForwardModelDataError.invalidField(
                    file: file, field: "\(field)[\(index)]", reason: "not finite (\(value))")
            }
            values[index] = Double(value)
        }
        return values
    }

    mutating func seek(to newOffset: Int, field: String) throws {
        guard newOffset <= bytes.count else {
            throw ForwardModelDataError.truncated(file: file, field: field, needed: newOffset, available: bytes.count)
        }
        offset = newOffset
    }
}
