import Foundation
import NPECSV

/// The 52 Ariel Data Challenge 2023 wavelength bins (Tier-2 binning), read from `adc2023_wavelength_grid.csv`.
///
/// Arrays are in **ascending** wavelength (0.55 → 7.28 µm), the order of the CSV and of the model's outputs. ADC2023
/// stores its spectra in descending wavelength; reverse the outputs to compare with ADC files.
public struct ArielWavelengthGrid: Sendable, Equatable {
    /// Bin centres [µm], ascending.
    public let centres: [Double]
    /// Full bin widths [µm].
    public let widths: [Double]
    /// Lower and upper bin edges [µm].
    public let lowerEdges: [Double]
    public let upperEdges: [Double]

    /// Parses the CSV (header row `index_ascending,centre_um,width_um,lo_um,hi_um,...`; `#` lines are comments).
    /// Malformed rows raise ``NPECSV/CSVError`` naming the file, line and column.
    public init(csv text: String, file: String) throws {
        let table = try CSVTable(text: text, file: file)
        let columns = try ["centre_um", "width_um", "lo_um", "hi_um"].map { try table.columnIndex($0) }
        var values = [[Double]](repeating: [], count: 4)
        for row in table.rows {
            for (k, column) in columns.enumerated() {
                let value = try table.number(row, column)
                guard value > 0 else {
                    throw CSVError.invalidValue(file: file, line: row.line, column: table.header[column], text: row.fields[column])
                }
                values[k].append(value)
            }
        }
        let centres = values[0]
        guard !centres.isEmpty else {
            throw ForwardModelDataError.invalidField(file: file, field: "rows", reason: "no bins")
        }
        for i in centres.indices.dropFirst() where !(centres[i] > centres[i - 1]) {
            throw ForwardModelDataError.invalidField(
                file: file, field: "centre_um[\(i)]", reason: "centres must be strictly ascending")
        }
        self.centres = centres
        self.widths = values[1]
        self.lowerEdges = values[2]
        self.upperEdges = values[3]
    }

    /// The resource name of the shipped grid (`Resources/adc2023_wavelength_grid.csv`, provenance in
    /// NPETransmission's `Resources/PROVENANCE.md`).
    public static let bundledResource = "adc2023_wavelength_grid.csv"

    /// The shipped grid's location.
    public static func bundledURL() throws -> URL {
        if let url = Bundle.module.url(forResource: "adc2023_wavelength_grid", withExtension: "csv", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "adc2023_wavelength_grid", withExtension: "csv")
        {
            return url
        }
        throw ForwardModelDataError.missingFile(file: bundledResource)
    }

    /// The shipped ADC2023 grid, read and checked once per process (the forward model and the noise models share it).
    public static func bundled() throws -> ArielWavelengthGrid { try bundledResult.get() }

    private static let bundledResult: Result<ArielWavelengthGrid, Error> = Result {
        let url = try bundledURL()
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else {
            throw ForwardModelDataError.invalidField(file: bundledResource, field: "contents", reason: "not readable UTF-8 text")
        }
        return try ArielWavelengthGrid(csv: text, file: bundledResource)
    }
}
