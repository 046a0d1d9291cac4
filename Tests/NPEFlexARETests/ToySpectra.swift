import Foundation
import NPEData
import NPESimulators
import NPESupport
import NPETraining

/// Smooth toy spectra on the 52-bin ADC2023 grid: xⱼ = d·(1 + A·exp(−(λⱼ − μ)²/(2·0.8²))) with θ = (d, A, μ)
/// uniform on [0.005, 0.02] × [0, 0.3] × [1, 6] µm, keyed on (seed, row). A band whose level and shape a network
/// can learn in a few epochs, on the grid whose instrument segments the imputer masks.
enum ToySpectra {
    static let grid = try! ArielWavelengthGrid.bundled()
    static var binCount: Int { grid.centres.count }

    static func row(_ r: Int, seed: UInt64) -> (theta: [Float], x: [Float]) {
        let stream = RandomStream(seed: seed, stream: 0x70).child(UInt64(r))
        let d = 0.005 + 0.015 * stream.uniformDouble(0), a = 0.3 * stream.uniformDouble(1), mu = 1 + 5 * stream.uniformDouble(2)
        let x = grid.centres.map { Float(d * (1 + a * exp(-($0 - mu) * ($0 - mu) / (2 * 0.64)))) }
        return ([Float(d), Float(a), Float(mu)], x)
    }

    /// Writes `rows` rows to `directory/toy.h5` through the dataset writer and opens it.
    static func dataset(rows: Int, seed: UInt64 = 5, in directory: URL) throws -> TrainingDatasetReader {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("toy.h5")
        let metadata = TrainingDatasetMetadata(
            parameterNames: ["d", "a", "mu"], parameterUnits: ["", "", "um"], priorJSON: "{}", contextNames: [],
            wavelength: grid.centres, binWidth: grid.widths, simulatorName: "toy", simulatorVersion: "1",
            simulatorConfigurationJSON: "{}", noiseModelJSON: "{}", seed: seed)
        let writer = try TrainingDatasetWriter(creatingAt: url, metadata: metadata, chunkRows: 128)
        for r in 0..<rows {
            let (theta, x) = row(r, seed: seed)
            try writer.append(theta: theta, x: x)
        }
        _ = try writer.commit()
        return try TrainingDatasetReader(contentsOf: url)
    }

    /// The ADC2023 instrument segments of the grid.
    static var segments: [InstrumentSegment] {
        InstrumentSegment.segments(of: InstrumentSegment.arielCoverage, centres: grid.centres)!
    }
}
