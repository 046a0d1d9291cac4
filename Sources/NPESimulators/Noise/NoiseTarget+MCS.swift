import Foundation
import NPECSV

extension NoiseTarget {
    /// The 722 Ariel MCS known planets (2024-07-09 list) as noise targets, in catalogue order: name, host Teff,
    /// R*, distance and T14 from the bundled `Resources/noise/mcs_known_2024-07-09_noise_inputs.csv`.
    ///
    /// With ``ArielPhotonNoise`` these reproduce ``PerTargetNoiseTable/arielMCSKnown2024(floor:defaultTransits:)``;
    /// they are also a realistic population of stars for drawing training noise levels.
    public static func arielMCSKnown2024() throws -> [NoiseTarget] {
        let table = try CSVTable(contentsOf: try NoiseResources.url("mcs_known_2024-07-09_noise_inputs", "csv"))
        let name = try table.columnIndex("Planet Name")
        let temperature = try table.columnIndex("Star Temperature [K]")
        let radius = try table.columnIndex("Star Radius [Rs]")
        let distance = try table.columnIndex("Star Distance [pc]")
        let duration = try table.columnIndex("Transit Duration T14 [s]")
        return try table.rows.map { row in
            NoiseTarget(
                name: row.fields[name], starTemperature: try table.number(row, temperature),
                starRadius: try table.number(row, radius), starDistance: try table.number(row, distance),
                transitDuration: try table.number(row, duration))
        }
    }
}
