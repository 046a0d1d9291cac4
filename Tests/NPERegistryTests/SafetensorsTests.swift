import Foundation
@testable import NPERegistry
import Testing
import NPESafetensors

struct SafetensorsTests {
    @Test func roundTripIsBitExact() throws {
        let tensors = try Fixtures.weights()
        let decoded = try Safetensors.decode(Safetensors.encode(tensors))
        #expect(Fixtures.bits(decoded) == Fixtures.bits(tensors))
        #expect(decoded.tensors.mapValues(\.shape) == tensors.tensors.mapValues(\.shape))
        #expect(decoded.tensors.mapValues(\.dtype) == tensors.tensors.mapValues(\.dtype))
        #expect(decoded.metadata == tensors.metadata)
    }

    /// The exact bytes `safetensors.numpy.save` (safetensors 0.8.0, Python) produced for
    /// `{"b": arange(3, f32), "a": arange(2, i64), "c": zeros((0, 2), f64)}`: I64 before F64 before F32, header padded
    /// with spaces to a multiple of 8, offsets contiguous.
    @Test func matchesReferenceWriterByteForByte() throws {
        let tensors = NamedTensors(tensors: [
            "b": try TensorBlob(shape: [3], floats: [0, 1, 2]),
            "a": try TensorBlob(shape: [2], values: .int64([0, 1])),
            "c": try TensorBlob(shape: [0, 2], values: .float64([])),
        ])
        let header = #"{"a":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"c":{"dtype":"F64","shape":[0,2],"data_offsets":[16,16]},"b":{"dtype":"F32","shape":[3],"data_offsets":[16,28]}} "#
        var expected: [UInt8] = [0xa8, 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8)
        expected += [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]  // I64 0, 1
        expected += [0, 0, 0, 0, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]  // F32 0, 1, 2
        #expect(header.utf8.count == 0xa8)
        #expect(Array(try Safetensors.encode(tensors)) == expected)
    }

    @Test func metadataIsWrittenFirstAndEscaped() throws {
        let data = try Safetensors.encode(NamedTensors(tensors: ["w": try TensorBlob(shape: [1], floats: [1])],
                                                       metadata: ["k": "a\"b\\c\u{01}/é"]))
        let headerLength = Int(data.prefix(8).reversed().reduce(0) { $0 << 8 | UInt64($1) })
        let header = String(decoding: data[8..<(8 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"k":"a\"b\\c\u0001/é"},"w":{"#))
        #expect((8 + headerLength) % 8 == 0, "data buffer starts 8-byte aligned")
    }

    /// Builds a file from a raw header and buffer, to feed the reader hand-made violations.
    private func file(_ header: String, buffer: [UInt8]) -> Data {
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        data.append(contentsOf: buffer)
        return data
    }

    @Test(arguments: [
        ("hole", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8, "starts at byte 4"),
        ("overlap", #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8, "expected 8"),
        ("short buffer", #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, 4, "holds 4"),
        ("trailing bytes", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 8, "holds 8"),
        ("size mismatch", #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, 8, "needs 12"),
        ("unsupported dtype", #"{"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}"#, 8, "dtype F16"),
        ("negative extent", #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#, 0, "valid shape"),
        ("metadata not strings", #"{"__metadata__":{"k":1}}"#, 0, "not a string"),
        ("not an object", #"[1,2]"#, 0, "start with '{'"),
        ("bad JSON", #"{"a":"#, 0, "not a JSON object"),
    ])
    func rejectsMalformedFiles(label: String, header: String, bufferBytes: Int, message: String) {
        #expect(throws: SafetensorsError.self, "\(label)") { try Safetensors.decode(file(header, buffer: [UInt8](repeating: 0, count: bufferBytes))) }
        do {
            _ = try Safetensors.decode(file(header, buffer: [UInt8](repeating: 0, count: bufferBytes)))
        } catch {
            #expect("\(error)".contains(message), "\(label): \(error)")
        }
    }

    @Test func rejectsTruncatedAndOversizedHeaders() {
        #expect(throws: SafetensorsError.self) { try Safetensors.decode(Data([1, 2, 3])) }
        var huge = Data()
        withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { huge.append(contentsOf: $0) }
        #expect(throws: SafetensorsError.self) { try Safetensors.decode(huge) }
        var pastEnd = Data()
        withUnsafeBytes(of: UInt64(100).littleEndian) { pastEnd.append(contentsOf: $0) }
        pastEnd.append(contentsOf: Array("{}".utf8))
        #expect(throws: SafetensorsError.self) { try Safetensors.decode(pastEnd) }
    }

    @Test func tensorBlobChecksItsShape() {
        #expect(throws: TensorBlobError.self) { try TensorBlob(shape: [2, 3], floats: [1, 2, 3]) }
        #expect(throws: TensorBlobError.self) { try TensorBlob(shape: [-1], floats: []) }
        #expect(throws: SafetensorsError.self) {
            try Safetensors.encode(NamedTensors(tensors: ["__metadata__": try TensorBlob(shape: [], floats: [1])]))
        }
    }
}
