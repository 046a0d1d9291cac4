import Foundation
import NPETestSupport
import NPECSV
import NPEData
import Testing
@testable import NPEInference

private func temporaryURL(_ name: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npecatalogue-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent(name)
}

/// Writes a catalogue with NPEData: float32 x, float64 sigma, context with names, ids.
private func writeHDF5(_ url: URL, ids: [String] = ["a", "b"], sigmaBins: Int = 3, omitX: Bool = false) throws {
    let file = try HDF5File.create(at: url)
    let root = try file.root()
    if !omitX { _ = try root.createDataset("x", values: [Float](arrayLiteral: 1, 2, 3, 4, 5, 6), shape: [2, 3]) }
    _ = try root.createDataset("wavelength", values: [0.5, 1.0, 2.0], shape: [3])
    _ = try root.createDataset("sigma", values: [Double](repeating: 0.1, count: 2 * sigmaBins), shape: [2, sigmaBins])
    let context = try root.createDataset("context", values: [1.0, 2.0], shape: [2, 1])
    try context.attributes.set("context_names", to: .string("[\"planet_mass\"]"))
    _ = try root.createDataset("id", strings: ids)
    try file.commit()
}

@Test func readsAnHDF5CatalogueOfMixedPrecision() throws {
    let url = try temporaryURL("c.h5")
    try writeHDF5(url)
    let catalogue = try Catalogue(hdf5: url)
    #expect(catalogue.targetCount == 2 && catalogue.binCount == 3)
    #expect(catalogue.x == [1, 2, 3, 4, 5, 6] && catalogue.wavelengths == [0.5, 1, 2])
    #expect(catalogue.contextNames == ["planet_mass"] && catalogue.context == [1, 2] && catalogue.ids == ["a", "b"])
}

@Test func wholeFileProblemsAreErrorsNamingTheFileAndDataset() throws {
    let missing = try temporaryURL("m.h5")
    try writeHDF5(missing, omitX: true)
    #expect(throws: CatalogueError.missing(file: missing.path, dataset: "x")) { try Catalogue(hdf5: missing) }
    let badSigma = try temporaryURL("s.h5")
    try writeHDF5(badSigma, sigmaBins: 4)
    #expect(throws: CatalogueError.shape(file: badSigma.path, dataset: "sigma", reason: "4 bins per target, x has 3")) {
        try Catalogue(hdf5: badSigma)
    }
    let duplicate = try temporaryURL("d.h5")
    try writeHDF5(duplicate, ids: ["a", "a"])
    #expect(throws: CatalogueError.duplicateID(file: duplicate.path, id: "a", firstRow: 0, row: 1)) { try Catalogue(hdf5: duplicate) }
}

@Test func readsACSVCatalogueAndFlagsOnlyTheBadTarget() throws {
    let url = try temporaryURL("c.csv")
    try """
    id,x_0,x_1,sigma_0,sigma_1,planet_mass,true_planet_radius
    "HD 209458 b",0.0146,0.0147,1e-5,1e-5,0.69,1.38
    WASP-39 b,0.021,nan,1e-5,0,0.28,1.27
    """.write(to: url, atomically: true, encoding: .utf8)
    let catalogue = try Catalogue(csv: url, contextNames: ["planet_mass"])
    #expect(catalogue.ids == ["HD 209458 b", "WASP-39 b"] && catalogue.binCount == 2 && catalogue.wavelengths == nil)
    #expect(catalogue.thetaNames == ["planet_radius"] && catalogue.thetaTrue == [1.38, 1.27])
    let rows = (0..<2).map { t in
        TargetHealth.invalidity(x: Catalogue.row(catalogue.x, t, width: 2), sigma: Catalogue.row(catalogue.sigma!, t, width: 2),
                                context: Catalogue.row(catalogue.context!, t, width: 1))
    }
    #expect(rows[0] == nil)
    #expect(rows[1] == "x[1] is nan")
    #expect(throws: CSVError.missingColumn(file: url.path, column: "star_radius")) {
        try Catalogue(csv: url, contextNames: ["star_radius"])
    }
}

@Test func healthFlagsAndZScores() {
    #expect(TargetHealth.invalidity(x: [1, 2], sigma: [1, -1], context: nil) == "sigma[1] is -1.0 (must be finite and > 0)")
    #expect(TargetHealth.largestZScore(x: [0, 10], mean: [0, 1], standardDeviation: [1, 3]) == 3)
    #expect(TargetHealth([.invalidInput, .lowImportanceEfficiency]).names == ["invalid_input", "low_importance_efficiency"])
    #expect(TargetHealth().names == ["ok"])
}

@Suite(.enabled(if: ProcessInfo.processInfo.environment["EXONPE_PYTHON"] != nil))
struct CatalogueInteropTests {
    @Test func readsACatalogueWrittenByH5py() throws {
        let url = try temporaryURL("py.h5")
        let script = """
        import sys, json, h5py, numpy as np
        with h5py.File(sys.argv[1], "w") as f:
            f["x"] = np.arange(8, dtype="f8").reshape(2, 4) * 1e-3
            f["wavelength"] = np.array([0.55, 0.7, 0.95, 1.1])
            f["id"] = np.array(["HD 189733 b", "WASP-43 b"], dtype=h5py.string_dtype())
            t = f.create_dataset("theta_true", data=np.array([[1.1, 1000.0], [1.0, 1400.0]], dtype="f4"))
            t.attrs["parameter_names"] = json.dumps(["planet_radius", "planet_temp"])
        """
        let result = try InteropPython.run(script, [url.path])
        #expect(result.status == 0, "\(result.errors)")
        let catalogue = try Catalogue(hdf5: url)
        #expect(catalogue.ids == ["HD 189733 b", "WASP-43 b"])
        #expect(catalogue.x[7] == 7e-3 && catalogue.thetaTrue == [1.1, 1000, 1, 1400].map { Double(Float($0)) })
        #expect(catalogue.thetaNames == ["planet_radius", "planet_temp"])
    }
}
