import Foundation
import NPEData
import NPEModels
import NPESimulators
import Testing
@testable import NPETraining

private func metadata(bins: Int, simulator: String, noise: NoiseModel) throws -> TrainingDatasetMetadata {
    TrainingDatasetMetadata(
        parameterNames: ["a"], parameterUnits: [""], priorJSON: "{}", contextNames: [],
        wavelength: (1...bins).map(Double.init), binWidth: [Double](repeating: 1, count: bins), simulatorName: simulator,
        simulatorVersion: "1", simulatorConfigurationJSON: "{}", noiseModelJSON: try noise.jsonString(), seed: 0)
}

private func noise(_ model: TrainingConfiguration.Noise.Model, scale: ClosedRange<Float>? = nil) -> TrainingConfiguration.Noise {
    var n = TrainingConfiguration.Noise()
    n.model = model
    n.scaleRange = scale
    return n
}

@Test func autoNoiseFollowsTheDatasetThenTheArielSimulatorThenNothing() throws {
    let declared = try metadata(bins: 3, simulator: "linear-gaussian", noise: .gaussianPerBin(sigma: [0.1, 0.2, 0.3]))
    let fromDataset = try #require(try noise(.automatic, scale: 0.5...2).resolve(for: declared, path: "d.h5"))
    #expect(fromDataset.sigmaRows == [[0.1, 0.2, 0.3]] && fromDataset.scaleRange == 0.5...2)

    let ariel = try metadata(bins: 52, simulator: "ariel-transmission", noise: .none)
    #expect(try noise(.automatic).resolve(for: ariel, path: "a.h5")?.sigmaRows.count == 722)

    // Imported pairs declare no noise: none is added unless asked for.
    let imported = try metadata(bins: 52, simulator: "external", noise: .none)
    #expect(try noise(.automatic).resolve(for: imported, path: "i.h5") == nil)
    #expect(try noise(.arielMCS).resolve(for: imported, path: "i.h5")?.sigmaRows.count == 722)
    #expect(try noise(.none).resolve(for: declared, path: "d.h5") == nil)
}

@Test func noiseThatCannotServeTheDatasetIsAnErrorNamingIt() throws {
    let plain = try metadata(bins: 10, simulator: "external", noise: .none)
    #expect(throws: TrainingSetupError.noiseUnavailable(
        dataset: "p.h5", reason: "the dataset declares no noise model (noise: {model: dataset} needs one)")) {
        try noise(.dataset).resolve(for: plain, path: "p.h5")
    }
    let error = #expect(throws: TrainingSetupError.self) { try noise(.arielMCS).resolve(for: plain, path: "p.h5") }
    #expect(error?.description.contains("p.h5: training noise: ariel-mcs noise covers the 52 ADC2023 bins, but x has 10") == true)
    let mismatch = try metadata(bins: 4, simulator: "x", noise: .gaussianPerBin(sigma: [0.1, 0.2, 0.3]))
    #expect(throws: TrainingSetupError.self) { try noise(.dataset).resolve(for: mismatch, path: "m.h5") }
}
