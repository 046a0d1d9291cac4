import Foundation
import NPESimulators

/// A collision-induced absorption (CIA) table for one molecular pair, read from the Pyrat Bay text format
/// (`@SPECIES`, `@TEMPERATURES`, `@DATA` blocks; data rows are wavenumber [cm⁻¹] then one coefficient per temperature
/// in cm⁻¹ amagat⁻²).
///
/// Coefficients are stored converted to k [m⁵ molecule⁻²]: k = k_tab · 1e2 / n_L², with n_L the Loschmidt number, so
/// that the absorption coefficient is α [m⁻¹] = k · n_A · n_B.
///
/// ``coefficients(temperature:wavenumber:)`` interpolates as TauREx 3 does (`PickleCIA.compute_cia` then `np.interp`):
/// linear in T with the table's end rows outside its range, then linear in wavenumber with the edge values outside.
public struct CollisionInducedAbsorptionTable: Sendable {
    /// The two species, e.g. `["H2", "He"]`.
    public let species: [String]
    /// Temperature axis [K], strictly increasing.
    public let temperatures: [Double]
    /// Wavenumber axis [cm⁻¹], strictly increasing.
    public let wavenumbers: [Double]
    /// k [m⁵], `[temperature][wavenumber]`.
    public let values: [Double]

    /// Parses the text of a CIA file. Throws ``ForwardModelDataError`` naming the file, line and field.
    public init(text: String, file: String) throws {
        var species: [String] = []
        var temperatures: [Double] = []
        var wavenumbers: [Double] = []
        var rows: [[Double]] = []
        var block = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("@") { block = line; continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            switch block {
            case "@SPECIES":
                species = fields
            case "@TEMPERATURES":
                for field in fields {
                    guard let value = Double(field), value > 0 else {
                        throw ForwardModelDataError.invalidRow(
                            file: file, line: lineNumber, field: "temperature",
                            reason: "'\(field)' is not a positive number")
                    }
                    temperatures.append(value)
                }
            case "@DATA":
                guard fields.count == temperatures.count + 1 else {
                    throw ForwardModelDataError.invalidRow(
                        file: file, line: lineNumber, field: "data",
                        reason: "\(fields.count) columns, expected 1 + \(temperatures.count) temperatures")
                }
                guard let wavenumber = Double(fields[0]), wavenumber.isFinite else {
                    throw ForwardModelDataError.invalidRow(
                        file: file, line: lineNumber, field: "wavenumber", reason: "'\(fields[0])' is not a number")
                }
                var row: [Double] = []
                for (column, field) in fields.dropFirst().enumerated() {
                    guard let value = Double(field), value.isFinite, value >= 0 else {
                        throw ForwardModelDataError.invalidRow(
                            file: file, line: lineNumber, field: "k(T=\(temperatures[column]) K)",
                            reason: "'\(field)' is not a non-negative number")
                    }
                    row.append(value)
                }
                if let last = wavenumbers.last, !(wavenumber > last) {
                    throw ForwardModelDataError.invalidRow(
                        file: file, line: lineNumber, field: "wavenumber",
                        reason: "\(wavenumber) does not increase (previous \(last))")
                }
                wavenumbers.append(wavenumber)
                rows.append(row)
            default:
                throw ForwardModelDataError.invalidRow(
                    file: file, line: lineNumber, field: block.isEmpty ? "header" : block,
                    reason: "unexpected content outside @SPECIES/@TEMPERATURES/@DATA")
            }
        }
        guard species.count == 2 else {
            throw ForwardModelDataError.invalidField(file: file, field: "@SPECIES", reason: "expected two species")
        }
        guard temperatures.count >= 2, zip(temperatures, temperatures.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ForwardModelDataError.invalidField(
                file: file, field: "@TEMPERATURES", reason: "need at least two strictly increasing temperatures")
        }
        guard wavenumbers.count >= 2 else {
            throw ForwardModelDataError.invalidField(file: file, field: "@DATA", reason: "need at least two rows")
        }
        let scale = 1e2 / (PhysicalConstants.loschmidt * PhysicalConstants.loschmidt)
        var values = [Double](repeating: 0, count: temperatures.count * wavenumbers.count)
        for (w, row) in rows.enumerated() {
            for t in temperatures.indices { values[t * wavenumbers.count + w] = row[t] * scale }
        }
        self.species = species
        self.temperatures = temperatures
        self.wavenumbers = wavenumbers
        self.values = values
    }

    /// k [m⁵] at temperature T [K] and each wavenumber ν [cm⁻¹] (TauREx interpolation, see the type's doc).
    public func coefficients(temperature: Double, wavenumbers targets: [Double]) -> [Double] {
        let row = temperatureRow(temperature)
        return targets.map { interpolateWavenumber(row, at: $0) }
    }

    /// The table row interpolated linearly to T; the end rows outside the range (`PickleCIA.interp_linear_grid`).
    func temperatureRow(_ temperature: Double) -> [Double] {
        let n = wavenumbers.count
        if temperature > temperatures[temperatures.count - 1] {
            return Array(values[(temperatures.count - 1) * n..<temperatures.count * n])
        }
        if temperature < temperatures[0] { return Array(values[0..<n]) }
        let (low, high) = InterpolationIndex.bracket(temperatures, temperature)
        let fraction = (temperature - temperatures[low]) / (temperatures[high] - temperatures[low])
        return (0..<n).map { w in
            let a = values[low * n + w], b = values[high * n + w]
            return a + (b - a) * fraction
        }
    }

    /// `np.interp` semantics: linear inside, edge values outside.
    func interpolateWavenumber(_ row: [Double], at wavenumber: Double) -> Double {
        if wavenumber <= wavenumbers[0] { return row[0] }
        if wavenumber >= wavenumbers[wavenumbers.count - 1] { return row[row.count - 1] }
        let (low, high) = InterpolationIndex.bracket(wavenumbers, wavenumber)
        let fraction = (wavenumber - wavenumbers[low]) / (wavenumbers[high] - wavenumbers[low])
        return row[low] + (row[high] - row[low]) * fraction
    }
}

/// Bracketing indices on a sorted axis, as TauREx's `find_closest_pair`: `right = clamp(searchsorted(x), 1, n−1)`,
/// `left = right − 1`. Outside the axis this returns the first or last pair (the caller decides about clamping).
enum InterpolationIndex {
    static func bracket(_ axis: [Double], _ value: Double) -> (Int, Int) {
        // searchsorted (side='left'): first index with axis[i] >= value.
        var low = 0, high = axis.count
        while low < high {
            let mid = (low + high) / 2
            if axis[mid] < value { low = mid + 1 } else { high = mid }
        }
        let right = max(min(axis.count - 1, low), 1)
        return (right - 1, right)
    }
}
