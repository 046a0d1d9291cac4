import Foundation

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
    public init(csv text: String, file: String) throws {
        var header: [String]?
        var centres: [Double] = [], widths: [Double] = [], lower: [Double] = [], upper: [Double] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard let columns = header else {
                header = fields
                for required in ["centre_um", "width_um", "lo_um", "hi_um"] where !fields.contains(required) {
                    throw ForwardModelDataError.invalidRow(
                        file: file, line: index + 1, field: required, reason: "missing column in header")
                }
                continue
            }
            guard fields.count == columns.count else {
                throw ForwardModelDataError.invalidRow(
                    file: file, line: index + 1, field: "row",
                    reason: "\(fields.count) columns, header has \(columns.count)")
            }
            func number(_ name: String) throws -> Double {
                let text = fields[columns.firstIndex(of: name)!]
                guard let value = Double(text), value.isFinite, value > 0 else {
                    throw ForwardModelDataError.invalidRow(
                        file: file, line: index + 1, field: name, reason: "'\(text)' is not a positive number")
                }
                return value
            }
            centres.append(try number("centre_um"))
            widths.append(try number("width_um"))
            lower.append(try number("lo_um"))
            upper.append(try number("hi_um"))
        }
        guard !centres.isEmpty else {
            throw ForwardModelDataError.invalidField(file: file, field: "rows", reason: "no bins")
        }
        for i in centres.indices.dropFirst() where !(centres[i] > centres[i - 1]) {
            throw ForwardModelDataError.invalidField(
                file: file, field: "centre_um[\(i)]", reason: "centres must be strictly ascending")
        }
        self.centres = centres
        self.widths = widths
        self.lowerEdges = lower
        self.upperEdges = upper
    }
}
