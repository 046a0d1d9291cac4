import Foundation

/// A 1-D or 2-D array in NumPy's `.npy` format (versions 1–3), read a block of rows at a time.
///
/// Format (numpy.lib.format): the magic `\x93NUMPY`, a major and minor version byte, a little-endian header length
/// (2 bytes in version 1, 4 in versions 2 and 3), then a Python dict literal with `descr`, `fortran_order` and
/// `shape`, padded so the data starts on a 64-byte boundary. The data follows in C order. Only `<f4` and `<f8`
/// (little-endian float32 and float64) in C order are accepted; anything else is an error naming the file, not a
/// silent conversion. A 1-D array of length N is read as N × 1.
struct NumpyArrayFile {
    let path: String
    let rowCount: Int
    let columnCount: Int
    let isFloat64: Bool
    private let dataOffset: UInt64

    init(path: String) throws {
        self.path = path
        func invalid(_ reason: String) -> DatasetBuildError {
            .invalidInput(file: path, location: "npy header", reason: reason)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DatasetBuildError.invalidInput(file: path, location: "file", reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        let prefix = (try? handle.read(upToCount: 12)) ?? Data()
        guard prefix.count >= 10, prefix.prefix(6) == Data([0x93] + Array("NUMPY".utf8)) else {
            throw invalid("not a .npy file (bad magic)")
        }
        let major = prefix[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(prefix[8]) | Int(prefix[9]) << 8
            headerStart = 10
        case 2, 3:
            guard prefix.count >= 12 else { throw invalid("truncated header") }
            headerLength = (8..<12).reduce(0) { $0 | Int(prefix[$1]) << (8 * ($1 - 8)) }
            headerStart = 12
        default: throw invalid("unsupported format version \(major)")
        }
        try handle.seek(toOffset: UInt64(headerStart))
        guard let headerData = try handle.read(upToCount: headerLength), headerData.count == headerLength,
            let header = String(data: headerData, encoding: major == 3 ? .utf8 : .isoLatin1)
        else {
            throw invalid("truncated header")
        }
        let descr = try Self.field("descr", in: header, path: path)
        switch descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\" ")) {
        case "<f4": isFloat64 = false
        case "<f8": isFloat64 = true
        case let other: throw invalid("dtype '\(other)' is not float32 or float64 (<f4, <f8)")
        }
        guard try Self.field("fortran_order", in: header, path: path).hasPrefix("False") else {
            throw invalid("Fortran-ordered arrays are not supported (save with np.ascontiguousarray)")
        }
        let shapeText = try Self.field("shape", in: header, path: path)
        let dims = shapeText.drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = dims.compactMap { Int($0) }
        guard shape.count == dims.count, (1...2).contains(shape.count) else {
            throw invalid("shape \(shapeText) is not 1-D or 2-D")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw invalid("shape \(shapeText) has a negative extent") }
        rowCount = shape[0]
        columnCount = shape.count == 2 ? shape[1] : 1
        dataOffset = UInt64(headerStart + headerLength)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
        // Checked products: a hostile header's extents must give an error, not an arithmetic trap.
        let elements = rowCount.multipliedReportingOverflow(by: columnCount)
        let bytes = elements.partialValue.multipliedReportingOverflow(by: isFloat64 ? 8 : 4)
        guard !elements.overflow, !bytes.overflow else { throw invalid("shape \(shapeText) is too large") }
        let needed = dataOffset.addingReportingOverflow(UInt64(bytes.partialValue))
        guard !needed.overflow, size >= needed.partialValue else {
            throw invalid("file has \(size) bytes, the header promises \(needed.overflow ? "more than 2^64" : String(needed.partialValue))")
        }
    }

    /// The text after `'name':` up to the next top-level comma (the shape tuple is kept whole).
    private static func field(_ name: String, in header: String, path: String) throws -> String {
        guard let range = header.range(of: "'\(name)':") else {
            throw DatasetBuildError.invalidInput(file: path, location: "npy header", reason: "no '\(name)' key")
        }
        var depth = 0
        var value = ""
        for character in header[range.upperBound...] {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if (character == "," && depth == 0) || character == "}" { break }
            value.append(character)
        }
        return value.trimmingCharacters(in: .whitespaces)
    }

    /// Rows `rows` as Double, row-major.
    func readRows(_ rows: Range<Int>) throws -> [Double] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DatasetBuildError.invalidInput(file: path, location: "file", reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        let width = isFloat64 ? 8 : 4
        try handle.seek(toOffset: dataOffset + UInt64(rows.lowerBound * columnCount * width))
        let count = rows.count * columnCount
        guard let data = try handle.read(upToCount: count * width), data.count == count * width else {
            throw DatasetBuildError.invalidInput(file: path, location: "rows \(rows)", reason: "file ends early")
        }
        return data.withUnsafeBytes { raw in
            (0..<count).map { i in
                isFloat64
                    ? Double(
                        bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                    : Double(
                        Float(
                            bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                    )
            }
        }
    }
}
