import Foundation
import NPEData
import NPESimulators
import NPESupport

/// A noise-free linear-Gaussian training set on disk (the trainer adds the noise), shared by the end-to-end tests
/// that compare a trained estimator with the exact posterior: θ drawn from the problem's Gaussian prior by the
/// counter-based stream `RandomStream(seed: seed)`, x = f(θ) without noise.
struct LinearGaussianDataset {
    let directory: URL
    let reader: TrainingDatasetReader
    /// `[rows, D]` and `[rows, M]`, as written.
    let theta: [Float]
    let x: [Float]

    init(_ problem: LinearGaussianProblem, rows: Int, seed: UInt64, label: String) throws {
        let d = problem.thetaCount, m = problem.outputCount
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("npe-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("dataset.h5")
        let metadata = TrainingDatasetMetadata(
            parameterNames: problem.inputNames, parameterUnits: [String](repeating: "", count: d), priorJSON: "{}", contextNames: [],
            wavelength: (0..<m).map(Double.init), binWidth: [Double](repeating: 1, count: m), simulatorName: problem.name,
            simulatorVersion: problem.version, simulatorConfigurationJSON: "{}", noiseModelJSON: "{}", seed: 1)
        let writer = try TrainingDatasetWriter(creatingAt: url, metadata: metadata, chunkRows: 500)
        let stream = RandomStream(seed: seed)
        var thetaAll: [Float] = [], xAll: [Float] = []
        for r in 0..<rows {
            let theta = (0..<d).map { problem.priorMean[$0] + problem.priorStandardDeviation[$0] * stream.normalDouble(UInt64(d * r + $0)) }
            let x = try problem.simulate(theta)  // noise-free: the trainer adds noise
            thetaAll += theta.map(Float.init)
            xAll += x.map(Float.init)
            try writer.append(theta: theta.map(Float.init), x: x.map(Float.init))
        }
        _ = try writer.commit()
        reader = try TrainingDatasetReader(contentsOf: url)
        theta = thetaAll
        x = xAll
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
