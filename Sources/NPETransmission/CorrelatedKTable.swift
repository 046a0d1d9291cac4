import Foundation
import NPESimulators

/// A correlated-k opacity table in the NEMESIS `.kta` format (one gas, on a fixed wavelength–pressure–temperature
/// grid).
///
/// For each wavelength bin b, pressure P and temperature T the table holds the k-distribution k_b(g; P, T) at the
/// quadrature points g_n with weights w_n (Σ w_n = 1): the bin-mean transmission of a path with column N is
/// 𝒯 = Σ_n w_n exp(−k_n N). Values are stored here in m² per molecule, laid out `[wavelength][pressure][temperature][g]`
/// (g fastest), exactly as in the file.
///
/// The binary layout (little-endian 4-byte words) is documented in `Resources/PROVENANCE.md`. Every header field is
/// validated, and a bad file throws ``ForwardModelDataError`` naming the file and the field.
public struct CorrelatedKTable: Sendable {
    /// HITRAN gas id from the header (1 H2O, 2 CO2, 5 CO, 6 CH4).
    public let gasID: Int
    /// Bin-centre wavelengths [µm], in file order (ascending for the ARIEL tables).
    public let wavelengths: [Double]
    /// Pressure axis in the file's own unit (ascending). The model converts it to Pa (see ``TransmissionModel``).
    public let pressures: [Double]
    /// Temperature axis [K] (ascending).
    public let temperatures: [Double]
    /// Quadrature abscissae g_n in [0, 1].
    public let gPoints: [Double]
    /// Quadrature weights w_n; they sum to 1.
    public let weights: [Double]
    /// k [m² molecule⁻¹], `[wavelength][pressure][temperature][g]`, g fastest.
    public let values: [Double]

    /// 1e-20 cm² (the file's unit) in m².
    static let fileUnitInSquareMetres = 1e-24

    /// Parses a `.kta` file.
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - file: the name used in error messages.
    /// - Throws: ``ForwardModelDataError`` for a truncated file, a count that is not positive, a wavelength list that is
    ///   not explicit (`delv` ≠ −1), axes that are not strictly increasing, weights that do not sum to 1, a data offset
    ///   that disagrees with the header size, or a non-finite or negative k.
    public init(data: Data, file: String) throws {
        var reader = LittleEndianReader(file: file, data: data)
        let irec0 = try reader.int32("irec0")
        let waveCount = try reader.int32("NWAVE")
        _ = try reader.float32("vmin")
        let delv = try reader.float32("delv")
        _ = try reader.float32("fwhm")
        let pressureCount = try reader.int32("NP")
        let temperatureCount = try reader.int32("NT")
        let gCount = try reader.int32("NG")
        gasID = try reader.int32("gas_id")
        _ = try reader.int32("iso_id")
        for (field, count) in [("NWAVE", waveCount), ("NP", pressureCount), ("NT", temperatureCount), ("NG", gCount)] {
            guard count > 0, count < 100_000 else {
                throw ForwardModelDataError.invalidField(
                    file: file, field: field, reason: "count \(count) out of range")
            }
        }
        guard delv == -1 else {
            throw ForwardModelDataError.invalidField(
                file: file, field: "delv", reason: "\(delv); only explicit wavelength lists (delv = -1) are supported")
        }
        gPoints = try reader.float32Array("g", count: gCount)
        weights = try reader.float32Array("dg", count: gCount)
        _ = try reader.float32("padding")
        _ = try reader.float32("padding")
        pressures = try reader.float32Array("P", count: pressureCount)
        temperatures = try reader.float32Array("T", count: temperatureCount)
        wavelengths = try reader.float32Array("wl", count: waveCount)

        let weightSum = weights.reduce(0, +)
        // The weights are float32: their sum is 1 to about 1e-7; 1e-5 only rejects a wrong or shifted block.
        guard abs(weightSum - 1) < 1e-5, weights.allSatisfy({ $0 > 0 }) else {
            throw ForwardModelDataError.invalidField(
                file: file, field: "dg", reason: "weights must be positive and sum to 1, sum is \(weightSum)")
        }
        try Self.requireIncreasing(gPoints, field: "g", file: file)
        try Self.requireIncreasing(pressures, field: "P", file: file)
        try Self.requireIncreasing(temperatures, field: "T", file: file)
        guard pressures[0] > 0, wavelengths.allSatisfy({ $0 > 0 }) else {
            throw ForwardModelDataError.invalidField(file: file, field: "P/wl", reason: "must be positive")
        }
        let headerEnd = reader.offset
        let dataStart = (irec0 - 1) * 4
        guard dataStart == headerEnd else {
            throw ForwardModelDataError.invalidField(
                file: file, field: "irec0",
                reason: "\(irec0) puts the k data at byte \(dataStart), but the header ends at byte \(headerEnd)")
        }
        let count = waveCount * pressureCount * temperatureCount * gCount
        guard data.count == dataStart + 4 * count else {
            throw ForwardModelDataError.invalidField(
                file: file, field: "k",
                reason: "expected \(dataStart + 4 * count) bytes for \(waveCount)×\(pressureCount)×"
                    + "\(temperatureCount)×\(gCount) values, file has \(data.count)")
        }
        try reader.seek(to: dataStart, field: "k")
        var values = try reader.float32Array("k", count: count)
        for index in values.indices {
            guard values[index] >= 0 else {
                throw ForwardModelDataError.invalidField(
                    file: file, field: "k[\(index)]", reason: "negative opacity \(values[index])")
            }
            values[index] *= Self.fileUnitInSquareMetres
        }
        self.values = values
    }

    /// Reads a `.kta` file from disk.
    public init(contentsOf url: URL) throws {
        guard let data = try? Data(contentsOf: url) else {
            throw ForwardModelDataError.missingFile(file: url.path)
        }
        try self.init(data: data, file: url.lastPathComponent)
    }

    private static func requireIncreasing(_ axis: [Double], field: String, file: String) throws {
        for index in axis.indices.dropFirst() where !(axis[index] > axis[index - 1]) {
            throw ForwardModelDataError.invalidField(
                file: file, field: "\(field)[\(index)]",
                reason: "axis must be strictly increasing (\(axis[index - 1]) then \(axis[index]))")
        }
    }
}
