import Foundation
import NPEChecksum

/// Names and constants of the ExoNPE training-dataset format (docs/dataset-format.md).
public enum TrainingDatasetFormat {
    /// The version this code writes and the only one it reads.
    public static let version: Int64 = 1
    /// Value of the root attribute `format`, so tools can tell our files from other HDF5 files.
    public static let formatName = "exonpe-training-dataset"

    /// Dataset names in the root group.
    public enum Dataset: String, CaseIterable, Sendable {
        case theta, x, context, wavelength
        case binWidth = "bin_width"
        case flags
    }

    /// Root attribute names.
    public enum Attribute: String, CaseIterable, Sendable {
        case format
        case formatVersion = "format_version"
        case parameterNames = "parameter_names"
        case parameterUnits = "parameter_units"
        case prior
        case contextNames = "context_names"
        case simulatorName = "simulator_name"
        case simulatorVersion = "simulator_version"
        case simulatorConfiguration = "simulator_config"
        case noiseModel = "noise_model"
        case seed
        case rowCount = "row_count"
        case createdAt = "created"
        case contentDigest = "content_sha256"
    }

    /// Bits of the per-row `flags` byte. 0 means a normal row.
    public struct RowFlags: OptionSet, Hashable, Sendable {
        /// The stored byte.
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The simulator returned NaN or infinity for this row; its `x` is kept as produced and must
        /// not be used for training.
        public static let nonFiniteSimulation = RowFlags(rawValue: 1)
    }

    static func encodeJSON(_ strings: [String]) -> String {
        let data = try! JSONEncoder().encode(strings)  // [String] always encodes
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeJSONStrings(_ text: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    static func formatDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

/// The content digest: SHA-256 over the rows in order.
///
/// For each row i = 0, 1, …, N-1: the D `theta` values, then the M `x` values, then the A `context`
/// values (if the dataset has context), each as IEEE-754 binary32 little-endian (4 bytes), then the
/// row's `flags` byte (if the dataset has flags). Feeding rows as they are written lets the writer
/// hash without re-reading, and the reader verify one chunk at a time.
struct ContentDigest {
    private var hasher = SHA256()

    mutating func addRows(theta: ArraySlice<Float>, x: ArraySlice<Float>, context: ArraySlice<Float>?,
                          flags: ArraySlice<UInt8>?, parameterCount: Int, featureCount: Int, contextCount: Int) {
        let rows = theta.count / parameterCount
        for row in 0..<rows {
            add(theta, from: theta.startIndex + row * parameterCount, count: parameterCount)
            add(x, from: x.startIndex + row * featureCount, count: featureCount)
            if let context { add(context, from: context.startIndex + row * contextCount, count: contextCount) }
            if let flags { withUnsafeBytes(of: flags[flags.startIndex + row]) { hasher.update($0) } }
        }
    }

    private mutating func add(_ values: ArraySlice<Float>, from start: Int, count: Int) {
        #if _endian(little)
        values[start..<start + count].withUnsafeBytes { hasher.update($0) }
        #else
        let littleEndian = values[start..<start + count].map { $0.bitPattern.littleEndian }
        littleEndian.withUnsafeBytes { hasher.update($0) }
        #endif
    }

    /// Lowercase hexadecimal SHA-256 (64 characters).
    func hexDigest() -> String { hasher.hexFinalize() }
}
