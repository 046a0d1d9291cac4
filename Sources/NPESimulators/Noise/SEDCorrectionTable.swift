import Foundation
import NPECSV

/// An empirical correction of a blackbody stellar spectrum: log10(F_observed / F_blackbody) tabulated per
/// effective-temperature node and photometric band.
///
/// The calibrated Ariel noise model multiplies the blackbody photon rate of each bin by
/// 10^corr(Teff, λ_centre). `corr` is bilinear: linear in Teff between nodes, linear in ln λ between the bands'
/// isophotal wavelengths, and clamped (held constant) outside both ranges. The bundled table holds the median
/// over Ariel MCS host stars in 15 Teff bins for V, J, H, Ks, W1, W2, W3; it carries real-SED features such as
/// the H⁻ opacity minimum near 1.6 µm in K dwarfs and the molecular depression of V in M dwarfs.
public struct SEDCorrectionTable: Sendable, Codable, Equatable {
    /// Isophotal wavelength of each band [µm], ascending.
    public var bandWavelengths: [Double]
    /// Teff nodes [K], ascending.
    public var temperatures: [Double]
    /// log10(F_obs/F_BB), `[temperature][band]`.
    public var corrections: [[Double]]

    public init(bandWavelengths: [Double], temperatures: [Double], corrections: [[Double]]) throws {
        guard !bandWavelengths.isEmpty, !temperatures.isEmpty, corrections.count == temperatures.count,
              corrections.allSatisfy({ $0.count == bandWavelengths.count })
        else {
            throw NoiseError.wrongShape(file: "<sed correction>", reason: "need one value per Teff node and band")
        }
        guard zip(bandWavelengths, bandWavelengths.dropFirst()).allSatisfy({ $0 < $1 }),
              zip(temperatures, temperatures.dropFirst()).allSatisfy({ $0 < $1 }),
              bandWavelengths.allSatisfy({ $0 > 0 })
        else {
            throw NoiseError.wrongShape(file: "<sed correction>", reason: "nodes must be positive and ascending")
        }
        self.bandWavelengths = bandWavelengths
        self.temperatures = temperatures
        self.corrections = corrections
    }

    /// corr(Teff, λ) in dex, interpolated and clamped as described above.
    public func correction(temperature: Double, wavelength: Double) -> Double {
        let (t0, t1, tWeight) = Self.bracket(temperatures, temperature)
        let (b0, b1, bWeight) = Self.bracket(bandWavelengths.map { log($0) }, log(wavelength))
        func at(_ t: Int, _ b: Int) -> Double { corrections[t][b] }
        let low = at(t0, b0) + (at(t0, b1) - at(t0, b0)) * bWeight
        let high = at(t1, b0) + (at(t1, b1) - at(t1, b0)) * bWeight
        return low + (high - low) * tWeight
    }

    /// The nodes bracketing `x` and the linear weight of the upper one; clamped at both ends.
    private static func bracket(_ nodes: [Double], _ x: Double) -> (Int, Int, Double) {
        if nodes.count == 1 || x <= nodes[0] { return (0, 0, 0) }
        if x >= nodes[nodes.count - 1] { return (nodes.count - 1, nodes.count - 1, 0) }
        var upper = 1
        while nodes[upper] < x { upper += 1 }
        return (upper - 1, upper, (x - nodes[upper - 1]) / (nodes[upper] - nodes[upper - 1]))
    }

    /// Isophotal wavelengths [µm] of the bundled table's bands, from its header comment: V 0.551, J 1.235,
    /// H 1.662, Ks 2.159, W1 3.3526, W2 4.6028, W3 11.5608.
    static let bundledBands: [(name: String, wavelength: Double)] = [
        ("V", 0.551), ("J", 1.235), ("H", 1.662), ("Ks", 2.159), ("W1", 3.3526), ("W2", 4.6028), ("W3", 11.5608),
    ]

    /// The bundled MCS median table (`Resources/noise/sed_correction_table.csv`).
    public static func arielMCS2024() throws -> SEDCorrectionTable {
        let table = try CSVTable(contentsOf: try NoiseResources.url("sed_correction_table", "csv"))
        let bandColumns = try bundledBands.map { try table.columnIndex($0.name) }
        let temperatureColumn = try table.columnIndex("teff_median_K")
        return try SEDCorrectionTable(
            bandWavelengths: bundledBands.map(\.wavelength),
            temperatures: try table.rows.map { try table.number($0, temperatureColumn) },
            corrections: try table.rows.map { row in try bandColumns.map { try table.number(row, $0) } })
    }
}
