import Foundation
import NPEData
import NPEModels
import NPESimulators

extension TrainingConfiguration.Noise {
    /// The noise training draws for `dataset` (nil: none), following ``Model``'s rules.
    ///
    /// - Throws: ``TrainingSetupError/noiseUnavailable(dataset:reason:)`` when the declared model cannot serve the
    ///   dataset: `dataset` with a dataset that declares no noise (or a parametric model that needs each target's
    ///   star), `ariel-mcs` with a dataset not on the 52-bin ADC2023 grid.
    public func resolve(for dataset: TrainingDatasetMetadata, path: String) throws -> TrainingNoise? {
        func unavailable(_ reason: String) -> TrainingSetupError { .noiseUnavailable(dataset: path, reason: reason) }
        let declared: NoiseModel
        do {
            declared = try JSONDecoder().decode(NoiseModel.self, from: Data(dataset.noiseModelJSON.utf8))
        } catch {
            throw unavailable("the dataset's noise_model attribute is not a NoiseModel (\(error))")
        }
        let noise: TrainingNoise?
        switch model {
        case .none:
            noise = nil
        case .arielMCS:
            noise = try arielMCS(featureCount: dataset.featureCount, unavailable)
        case .dataset:
            guard let fromDataset = try Self.trainingNoise(declared, transits: transits, scaleRange: scaleRange, unavailable) else {
                throw unavailable("the dataset declares no noise model (noise: {model: dataset} needs one)")
            }
            noise = fromDataset
        case .automatic:
            if let fromDataset = try Self.trainingNoise(declared, transits: transits, scaleRange: scaleRange, unavailable) {
                noise = fromDataset
            } else if dataset.simulatorName == Self.arielSimulatorName, dataset.featureCount == Self.arielBinCount {
                noise = try arielMCS(featureCount: dataset.featureCount, unavailable)
            } else {
                noise = nil
            }
        }
        if let noise, let width = noise.sigmaRows.first?.count, width != dataset.featureCount {
            throw unavailable("σ has \(width) bins but x has \(dataset.featureCount)")
        }
        return noise
    }

    /// The built-in ARIEL simulator's name (datasets it made get the MCS noise under `auto`).
    static let arielSimulatorName = "ariel-transmission"
    /// The ADC2023 grid the MCS table is tabulated on.
    static let arielBinCount = 52

    func arielMCS(featureCount: Int, _ unavailable: (String) -> TrainingSetupError) throws -> TrainingNoise {
        guard featureCount == Self.arielBinCount else {
            throw unavailable("ariel-mcs noise covers the \(Self.arielBinCount) ADC2023 bins, but x has \(featureCount)")
        }
        return try TrainingNoise.arielMCS(transits: transits, scaleRange: scaleRange)
    }

    /// A declared dataset noise model as training noise; nil for `none`.
    static func trainingNoise(_ declared: NoiseModel, transits: Int, scaleRange: ClosedRange<Float>?,
                              _ unavailable: (String) -> TrainingSetupError) throws -> TrainingNoise? {
        switch declared {
        case .none:
            return nil
        case let .gaussianPerBin(sigma):
            return try TrainingNoise(sigmaRows: [sigma.map(Float.init)], scaleRange: scaleRange,
                                     source: "dataset gaussian_per_bin")
        case let .perTargetTable(table):
            let rows = try table.names.map { name in
                try table.sigma(for: NoiseTarget(name: name, transits: transits)).map(Float.init)
            }
            return try TrainingNoise(sigmaRows: rows, scaleRange: scaleRange,
                                     source: "\(table.source), \(transits) transit\(transits == 1 ? "" : "s")")
        case .arielPhotonNoise:
            throw unavailable("the dataset declares ariel_photon_noise, which needs each target's star; use "
                + "noise: {model: ariel-mcs} or {model: none}")
        }
    }
}
