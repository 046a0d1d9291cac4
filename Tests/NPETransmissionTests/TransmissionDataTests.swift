import NPECSV
import Foundation
import Testing
import NPESimulators
@testable import NPETransmission

/// The bundled data files and their readers: documented header values, and precise errors for damaged files.
@Suite struct TransmissionDataTests {
    @Test func kTableHeaderHasTheDocumentedValues() throws {
        let data = try TransmissionOpacityData.bundled()
        for (index, table) in data.kTables.enumerated() {
            #expect(table.gasID == [1, 2, 5, 6][index])
            #expect(table.wavelengths.count == 52)
            #expect(table.pressures.count == 22)
            #expect(table.temperatures.count == 27)
            #expect(table.gPoints.count == 20)
            // Float32 header values: compare to 1e-6 relative.
            #expect(abs(table.wavelengths[0] - 0.55) < 1e-6)
            #expect(abs(table.wavelengths[1] - 0.705) < 1e-6)
            #expect(abs(table.wavelengths[2] - 0.955) < 1e-6)
            #expect(abs(table.pressures[0] / 1e-5 - 1) < 1e-5)
            #expect(abs(table.pressures[21] / 100 - 1) < 1e-5)
            #expect(table.temperatures[0] == 100 && table.temperatures[19] == 2000)
            #expect(table.temperatures[20] == 2200 && table.temperatures[26] == 3400)
            #expect(abs(table.weights.reduce(0, +) - 1) < 1e-6)
            #expect(table.values.count == 52 * 22 * 27 * 20)
        }
        // README sanity check: CO2 bin mean at 4.31 µm, 1000 K, of order 6e-19 cm² (= 6e-23 m²) at mid pressure.
        let co2 = data.kTables[1]
        let bin = co2.wavelengths.indices.min { abs(co2.wavelengths[$0] - 4.31) < abs(co2.wavelengths[$1] - 4.31) }!
        let t = co2.temperatures.firstIndex(of: 1000)!, p = 11
        let base = ((bin * 22 + p) * 27 + t) * 20
        let mean = zip(co2.values[base..<base + 20], co2.weights).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(mean > 1e-23 && mean < 3e-22)
        #expect(data.grid.centres.count == 52 && data.grid.centres[0] == 0.55)
        #expect(data.hydrogenHydrogenCIA.temperatures.count == 20)
        #expect(data.hydrogenHeliumCIA.temperatures.count == 21)
    }

    /// A valid file's bytes, for damaging.
    static func waterTableBytes() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: try TransmissionOpacityData.bundledResourceURL("H2O_Katy_ARIEL_test.kta")))
    }

    static func setWord(_ bytes: inout [UInt8], _ index: Int, _ value: UInt32) {
        for k in 0..<4 { bytes[index * 4 + k] = UInt8((value >> (8 * k)) & 0xFF) }
    }

    @Test func damagedKTablesAreReportedByFileAndField() throws {
        let good = try Self.waterTableBytes()
        #expect(throws: ForwardModelDataError.truncated(file: "x.kta", field: "NP", needed: 24, available: 20)) {
            try CorrelatedKTable(data: Data(good.prefix(20)), file: "x.kta")
        }
        var bytes = good
        Self.setWord(&bytes, 3, Float(0.5).bitPattern)  // delv
        #expect(throws: ForwardModelDataError.invalidField(
            file: "x.kta", field: "delv", reason: "0.5; only explicit wavelength lists (delv = -1) are supported")) {
            try CorrelatedKTable(data: Data(bytes), file: "x.kta")
        }
        bytes = good
        Self.setWord(&bytes, 0, 150)  // irec0
        #expect(throws: ForwardModelDataError.self) { try CorrelatedKTable(data: Data(bytes), file: "x.kta") }
        do {
            _ = try CorrelatedKTable(data: Data(bytes), file: "x.kta")
        } catch let error as ForwardModelDataError {
            #expect(error.description.contains("x.kta") && error.description.contains("irec0"))
        }
        bytes = good
        Self.setWord(&bytes, 153 + 7, Float(-1).bitPattern)  // a negative k value
        #expect(throws: ForwardModelDataError.invalidField(file: "x.kta", field: "k[7]", reason: "negative opacity -1.0")) {
            try CorrelatedKTable(data: Data(bytes), file: "x.kta")
        }
        #expect(throws: ForwardModelDataError.self) {
            try CorrelatedKTable(data: Data(good.dropLast(4)), file: "x.kta")
        }
    }

    @Test func damagedCIAAndGridFilesNameTheLine() throws {
        let text = "@SPECIES\nH2 He\n@TEMPERATURES\n 100 200\n@DATA\n 20.0 1e-8 2e-8\n 40.0 1e-8 abc\n"
        #expect(throws: ForwardModelDataError.invalidRow(
            file: "c.dat", line: 7, field: "k(T=200.0 K)", reason: "'abc' is not a non-negative number")) {
            try CollisionInducedAbsorptionTable(text: text, file: "c.dat")
        }
        let short = "@SPECIES\nH2 He\n@TEMPERATURES\n 100 200\n@DATA\n 20.0 1e-8\n"
        #expect(throws: ForwardModelDataError.invalidRow(
            file: "c.dat", line: 6, field: "data", reason: "2 columns, expected 1 + 2 temperatures")) {
            try CollisionInducedAbsorptionTable(text: short, file: "c.dat")
        }
        let csv = "index_ascending,centre_um,width_um,lo_um,hi_um\n0,0.55,0.1,0.5,0.6\n1,-0.7,0.2,0.6,0.8\n"
        #expect(throws: CSVError.invalidValue(file: "g.csv", line: 3, column: "centre_um", text: "-0.7")) {
            try ArielWavelengthGrid(csv: csv, file: "g.csv")
        }
    }

    @Test func ciaInterpolationFollowsTauRExClamping() throws {
        let text = "@SPECIES\nH2 H2\n@TEMPERATURES\n 100 200\n@DATA\n 10.0 1 3\n 20.0 2 6\n"
        let table = try CollisionInducedAbsorptionTable(text: text, file: "c.dat")
        let unit = 1e2 / (PhysicalConstants.loschmidt * PhysicalConstants.loschmidt)
        // Linear in T and ν inside; the edge values outside (np.interp and PickleCIA semantics).
        #expect(abs(table.coefficients(temperature: 150, wavenumbers: [15])[0] / unit - 3) < 1e-12)
        #expect(abs(table.coefficients(temperature: 50, wavenumbers: [5])[0] / unit - 1) < 1e-12)
        #expect(abs(table.coefficients(temperature: 900, wavenumbers: [99])[0] / unit - 6) < 1e-12)
    }
}
