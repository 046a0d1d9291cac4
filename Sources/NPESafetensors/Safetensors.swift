import Foundation
import NPESupport

/// Reads and writes the safetensors format (huggingface/safetensors, format as of version 0.4).
///
/// Layout, all integers little-endian:
///
/// | bytes | content |
/// |---|---|
/// | 0..<8 | N, the header length, `UInt64` |
/// | 8..<8+N | UTF-8 JSON object, right-padded with spaces (0x20) so that 8+N is a multiple of 8 |
/// | 8+N..< | the data buffer: every tensor's elements, row-major, back to back |
///
/// The header maps each tensor name to `{"dtype":"F32","shape":[2,3],"data_offsets":[begin,end]}`, offsets relative
/// to the data buffer, plus an optional `"__metadata__"` object of string values. The writer mirrors the reference
/// implementation so a file is byte-identical to `safetensors.numpy.save_file` of the same tensors (without
/// metadata, whose key order Python leaves unspecified): compact JSON, `__metadata__` first, tensors sorted by
/// element size (largest first), then dtype, then name by UTF-8 bytes; every tensor is therefore aligned to its own
/// element size. The reader enforces the format's rules: the data buffer is covered exactly, with no holes or
/// overlaps, and each byte range matches its dtype and shape.
///
/// Limits: only `F32`, `F64` and `I64` are supported; other dtypes are reported by name. The reader does not detect
/// duplicate JSON keys (Foundation's parser keeps one silently); the coverage rule catches any duplicate that
/// would leave part of the buffer unclaimed.
public enum Safetensors {
    /// The largest header accepted, as in the reference implementation (100 MB).
    public static let maximumHeaderByteCount = 100_000_000

    /// Serialises `tensors` to safetensors bytes.
    ///
    /// - Throws: ``SafetensorsError`` for an empty tensor name or one spelled `__metadata__`.
    public static func encode(_ tensors: NamedTensors) throws -> Data {
        let ordered = try tensors.tensors.keys.map { name -> (String, TensorBlob) in
            guard !name.isEmpty, name != "__metadata__" else {
                throw SafetensorsError(reason: "tensor name \"\(name)\" is reserved or empty")
            }
            return (name, tensors.tensors[name]!)
        }.sorted(by: writeOrder)

        var header = "{"
        var members: [String] = []
        if !tensors.metadata.isEmpty {
            let entries = tensors.metadata.keys.sorted(by: utf8Order).map {
                "\(jsonString($0)):\(jsonString(tensors.metadata[$0]!))"
            }
            members.append("\"__metadata__\":{" + entries.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, blob) in ordered {
            let end = offset + blob.byteCount
            let shape = blob.shape.map(String.init).joined(separator: ",")
            members.append("\(jsonString(name)):{\"dtype\":\"\(blob.dtype.rawValue)\",\"shape\":[\(shape)],"
                + "\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        header += members.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        headerBytes.append(contentsOf: repeatElement(0x20, count: (8 - headerBytes.count % 8) % 8))

        var output = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { output.append(contentsOf: $0) }
        output.append(contentsOf: headerBytes)
        for (_, blob) in ordered { appendLittleEndian(blob.values, to: &output) }
        return output
    }

    /// Parses safetensors bytes.
    ///
    /// - Throws: ``SafetensorsError`` describing the first violation of the format.
    public static func decode(_ data: Data) throws -> NamedTensors {
        guard data.count >= 8 else { throw SafetensorsError(reason: "file is \(data.count) bytes, shorter than the 8-byte header length") }
        let headerLength = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(maximumHeaderByteCount) else {
            throw SafetensorsError(reason: "header length \(headerLength) exceeds the \(maximumHeaderByteCount)-byte limit")
        }
        let headerEnd = 8 + Int(headerLength)
        guard headerEnd <= data.count else {
            throw SafetensorsError(reason: "header length \(headerLength) runs past the end of the \(data.count)-byte file")
        }
        let headerData = data.subdata(in: (data.startIndex + 8)..<(data.startIndex + headerEnd))
        guard headerData.first == UInt8(ascii: "{") else { throw SafetensorsError(reason: "header does not start with '{'") }
        guard String(data: headerData, encoding: .utf8) != nil else { throw SafetensorsError(reason: "header is not UTF-8") }
        let header: [String: JSONValue]
        do {
            header = try JSONDecoder().decode([String: JSONValue].self, from: headerData)
        } catch {
            throw SafetensorsError(reason: "header is not a JSON object (\(error))")
        }

        var result = NamedTensors()
        if let metadata = header["__metadata__"] {
            guard case .object(let entries) = metadata else { throw SafetensorsError(reason: "__metadata__ is not an object") }
            for (key, value) in entries {
                guard case .string(let text) = value else {
                    throw SafetensorsError(reason: "__metadata__ value for \"\(key)\" is not a string")
                }
                result.metadata[key] = text
            }
        }
        let bufferLength = data.count - headerEnd
        var entries: [TensorEntry] = []
        for (name, value) in header where name != "__metadata__" {
            entries.append(try TensorEntry(name: name, json: value))
        }
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var expectedBegin = 0
        for entry in entries {
            guard entry.begin == expectedBegin else {
                throw SafetensorsError(reason: "tensor \"\(entry.name)\" starts at byte \(entry.begin) of the data buffer, expected \(expectedBegin) (holes and overlaps are not allowed)")
            }
            expectedBegin = entry.end
        }
        guard expectedBegin == bufferLength else {
            throw SafetensorsError(reason: "tensors cover \(expectedBegin) bytes but the data buffer holds \(bufferLength)")
        }
        try data.withUnsafeBytes { raw in
            let buffer = UnsafeRawBufferPointer(rebasing: raw[headerEnd...])
            for entry in entries {
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[entry.begin..<entry.end])
                do {
                    result.tensors[entry.name] = try TensorBlob(shape: entry.shape, values: readLittleEndian(entry.dtype, bytes))
                } catch {
                    throw SafetensorsError(reason: "tensor \"\(entry.name)\": \(error)")
                }
            }
        }
        return result
    }

    // MARK: - Header entries

    /// One parsed, self-consistent header entry.
    private struct TensorEntry {
        var name: String
        var dtype: TensorDType
        var shape: [Int]
        var begin: Int
        var end: Int

        init(name: String, json: JSONValue) throws {
            self.name = name
            guard case .string(let dtypeName)? = json["dtype"] else { throw SafetensorsError(reason: "tensor \"\(name)\" has no dtype string") }
            guard let dtype = TensorDType(rawValue: dtypeName) else {
                throw SafetensorsError(reason: "tensor \"\(name)\" has dtype \(dtypeName); supported: F32, F64, I64")
            }
            self.dtype = dtype
            guard let shape = Self.integers(json["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw SafetensorsError(reason: "tensor \"\(name)\" has no valid shape (non-negative integers)")
            }
            self.shape = shape
            guard let offsets = Self.integers(json["data_offsets"]), offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw SafetensorsError(reason: "tensor \"\(name)\" has no valid data_offsets [begin, end]")
            }
            (begin, end) = (offsets[0], offsets[1])
            var expected = dtype.byteCount
            for extent in shape {
                let product = expected.multipliedReportingOverflow(by: extent)
                guard !product.overflow else { throw SafetensorsError(reason: "tensor \"\(name)\" shape \(shape) is too large") }
                expected = product.partialValue
            }
            guard end - begin == expected else {
                throw SafetensorsError(reason: "tensor \"\(name)\" spans \(end - begin) bytes, but \(dtypeName) \(shape) needs \(expected)")
            }
        }

        /// Integral non-negative JSON numbers below 2^53 (exact in a Double), else `nil`.
        static func integers(_ json: JSONValue?) -> [Int]? {
            guard case .array(let elements)? = json else { return nil }
            var result: [Int] = []
            for element in elements {
                guard case .number(let value) = element, value.rounded() == value, abs(value) < 9_007_199_254_740_992 else { return nil }
                result.append(Int(value))
            }
            return result
        }
    }

    // MARK: - Ordering and JSON text

    /// The reference writer's order: larger elements first (keeps every tensor aligned), then dtype, then name.
    private static func writeOrder(_ left: (String, TensorBlob), _ right: (String, TensorBlob)) -> Bool {
        let (leftRank, rightRank) = (rank(left.1.dtype), rank(right.1.dtype))
        if leftRank != rightRank { return leftRank > rightRank }
        return utf8Order(left.0, right.0)
    }

    /// Position in the reference implementation's `Dtype` enum (a larger rank is written first).
    private static func rank(_ dtype: TensorDType) -> Int {
        switch dtype {
        case .float32: return 0
        case .float64: return 1
        case .int64: return 2
        }
    }

    private static func utf8Order(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    /// A JSON string literal, escaped as serde_json escapes it (short escapes where JSON has them, `\u00XX` for
    /// other control characters, everything else verbatim).
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// A byte sequence is not a valid safetensors file (or a tensor cannot be written as one).
public struct SafetensorsError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { "safetensors: \(reason)" }
}
