import Foundation
import NPESimulators

/// All tabulated data the transmission model reads: the four correlated-k tables, the two CIA tables and the ADC2023
/// bin grid, validated for mutual consistency.
///
/// ``bundled()`` loads the copies shipped in the module's resources (see `Resources/PROVENANCE.md`) once per process.
public struct TransmissionOpacityData: Sendable {
    /// k-tables for H2O, CO2, CO and CH4, in that order (the order of ``TraceGas/tabulated``).
    public let kTables: [CorrelatedKTable]
    /// H2–H2 CIA.
    public let hydrogenHydrogenCIA: CollisionInducedAbsorptionTable
    /// H2–He CIA.
    public let hydrogenHeliumCIA: CollisionInducedAbsorptionTable
    /// The 52 ADC2023 bins (ascending wavelength).
    public let grid: ArielWavelengthGrid

    /// Resource names, in ``TraceGas/tabulated`` order.
    public static let kTableResources = [
        "H2O_Katy_ARIEL_test.kta", "CO2_Katy_ARIEL_test.kta", "CO_Katy_ARIEL_test.kta", "CH4_Katy_ARIEL_test.kta",
    ]
    public static let hydrogenHydrogenResource = "CIA_Borysow_H2H2_0060-7000K_0.6-500um.dat"
    public static let hydrogenHeliumResource = "CIA_Borysow_H2He_0050-7000K_0.5-031um.dat"
    public static let gridResource = ArielWavelengthGrid.bundledResource
    /// HITRAN ids the k-tables must carry, in ``TraceGas/tabulated`` order.
    static let expectedGasIDs = [1, 2, 5, 6]

    /// Assembles and cross-checks the tables: all k-tables must share one wavelength, pressure, temperature and g grid,
    /// carry the expected HITRAN gas id, and have one wavelength per ADC bin, inside that bin.
    public init(
        kTables: [CorrelatedKTable], hydrogenHydrogenCIA: CollisionInducedAbsorptionTable,
        hydrogenHeliumCIA: CollisionInducedAbsorptionTable, grid: ArielWavelengthGrid
    ) throws {
        guard kTables.count == Self.expectedGasIDs.count else {
            throw ForwardModelDataError.inconsistentTables(
                file: "k-tables", field: "count", reason: "expected 4 (H2O, CO2, CO, CH4), got \(kTables.count)")
        }
        let reference = kTables[0]
        for (index, table) in kTables.enumerated() {
            let file = Self.kTableResources[index]
            guard table.gasID == Self.expectedGasIDs[index] else {
                throw ForwardModelDataError.inconsistentTables(
                    file: file, field: "gas_id", reason: "\(table.gasID), expected \(Self.expectedGasIDs[index])")
            }
            for (field, a, b) in [
                ("wl", table.wavelengths, reference.wavelengths), ("P", table.pressures, reference.pressures),
                ("T", table.temperatures, reference.temperatures), ("g", table.gPoints, reference.gPoints),
                ("dg", table.weights, reference.weights),
            ] where a != b {
                throw ForwardModelDataError.inconsistentTables(
                    file: file, field: field, reason: "differs from \(Self.kTableResources[0])")
            }
        }
        guard reference.wavelengths.count == grid.centres.count else {
            throw ForwardModelDataError.inconsistentTables(
                file: Self.gridResource, field: "rows",
                reason: "\(grid.centres.count) bins but the k-tables have \(reference.wavelengths.count) wavelengths")
        }
        for (index, wavelength) in reference.wavelengths.enumerated()
        where !(wavelength >= grid.lowerEdges[index] && wavelength <= grid.upperEdges[index]) {
            throw ForwardModelDataError.inconsistentTables(
                file: Self.kTableResources[0], field: "wl[\(index)]",
                reason: "\(wavelength) µm lies outside ADC bin \(index) "
                    + "[\(grid.lowerEdges[index]), \(grid.upperEdges[index])]")
        }
        guard hydrogenHydrogenCIA.species == ["H2", "H2"] else {
            throw ForwardModelDataError.inconsistentTables(
                file: Self.hydrogenHydrogenResource, field: "@SPECIES", reason: "\(hydrogenHydrogenCIA.species)")
        }
        guard hydrogenHeliumCIA.species == ["H2", "He"] else {
            throw ForwardModelDataError.inconsistentTables(
                file: Self.hydrogenHeliumResource, field: "@SPECIES", reason: "\(hydrogenHeliumCIA.species)")
        }
        self.kTables = kTables
        self.hydrogenHydrogenCIA = hydrogenHydrogenCIA
        self.hydrogenHeliumCIA = hydrogenHeliumCIA
        self.grid = grid
    }

    /// The data shipped with the module, loaded and validated on first use (then shared).
    public static func bundled() throws -> TransmissionOpacityData {
        try bundledResult.get()
    }

    /// The location of a shipped data file, e.g. `"H2O_Katy_ARIEL_test.kta"`.
    public static func bundledResourceURL(_ name: String) throws -> URL {
        // The grid ships with the vocabulary module, which the noise models share.
        if name == gridResource { return try ArielWavelengthGrid.bundledURL() }
        let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        if let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Resources")
            ?? Bundle.module.url(forResource: base, withExtension: ext)
        {
            return url
        }
        throw ForwardModelDataError.missingFile(file: name)
    }

    private static let bundledResult: Result<TransmissionOpacityData, Error> = Result {
        func url(_ name: String) throws -> URL { try bundledResourceURL(name) }
        func text(_ name: String) throws -> String {
            let location = try url(name)
            guard let data = try? Data(contentsOf: location), let text = String(data: data, encoding: .utf8) else {
                throw ForwardModelDataError.invalidField(
                    file: name, field: "contents", reason: "not readable UTF-8 text")
            }
            return text
        }
        let tables = try kTableResources.map { try CorrelatedKTable(contentsOf: try url($0)) }
        return try TransmissionOpacityData(
            kTables: tables,
            hydrogenHydrogenCIA: try CollisionInducedAbsorptionTable(
                text: try text(hydrogenHydrogenResource), file: hydrogenHydrogenResource),
            hydrogenHeliumCIA: try CollisionInducedAbsorptionTable(
                text: try text(hydrogenHeliumResource), file: hydrogenHeliumResource),
            grid: try ArielWavelengthGrid.bundled())
    }
}
