import Foundation
import NPEFlexARE
import NPESimulators
import NPESupport
import NPETensor
import NPETraining

/// `flexare`: the FlexARE pre-processors at their default sizes on the 52-bin ADC2023 grid: training samples/s of
/// the denoiser (batch 128) and of the imputer (batch 64) in a pre-training and an adversarial step, and
/// pre-processing milliseconds per target (one spectrum through the denoiser, the imputer with AIRS-CH1 missing,
/// and both). Spectra are synthetic; the cost does not depend on their values.
enum FlexARESuite {
    static func run() throws {
        let threads = benchmarkThreads
        Engine.configure(blasThreads: threads)
        let grid = try ArielWavelengthGrid.bundled()
        let m = grid.centres.count
        let sample = RandomStream(seed: 3).uniformTensor([256, m], low: 1e-3, high: 1e-2)
        let scaling = SpectrumScaling(x: sample.scalars, count: 256)
        let noise = try NoiseAugmentation(sigma: [Float](repeating: 1e-4, count: m), seed: 1)
        guard let segments = InstrumentSegment.segments(of: InstrumentSegment.arielCoverage, centres: grid.centres) else {
            throw FlexAREError.unusable("the bundled ADC2023 grid has no Ariel instrument segments")
        }
        let mask = try MaskAugmentation(binCount: m, segments: segments, probability: 1, segmentProbability: 0.5, randomBinRate: 0, seed: 1)
        var models: [FlexAREArchitecture.Role: FlexAREModel] = [:]
        for role in FlexAREArchitecture.Role.allCases {
            let configuration = FlexAREConfiguration()
            let architecture = FlexAREArchitecture(role: role, scaling: scaling, configuration: configuration)
            let model = try FlexAREModel(architecture: architecture, seed: 1)
            models[role] = model
            let batch = role == .denoiser ? configuration.denoiser.batchSize : configuration.imputer.batchSize
            var options = FlexARETrainingOptions()
            (options.batchSize, options.pretrainEpochs) = (batch, 1)
            let pairs = TrainingPairs(scaling: scaling, noise: noise, mask: role == .imputer ? mask : nil)
            let trainer = try FlexARETrainer(model: model, options: options, pairs: pairs)
            let x = try Tensor(shape: [batch, m], scalars: Array(sample.scalars[0..<(batch * m)]))
            for (epoch, phase) in (role == .denoiser ? [(1, "train")] : [(0, "pretrain"), (1, "adversarial")]) {
                var step = 0
                let body = {
                    _ = try trainer.step(TrainingBatch(rows: Array((step * batch)..<((step + 1) * batch)), theta: Tensor.zeros([batch, 1]),
                                                       x: x, globalCount: batch), epoch: epoch, index: step)
                    step += 1
                }
                let seconds = try secondsPerCall(body)
                let cpu = try cpuSecondsPerCall(calls: 10, body)
                Figure(suite: "flexare", name: "flexare_\(role.rawValue)_train_\(phase)", value: Double(batch) / seconds, unit: "samples/s",
                       extra: ["batch": batch, "threads": threads, "ms_per_step": (seconds * 1e5).rounded() / 100,
                               "per_cpu_second": (Double(batch) / cpu).rounded(),
                               "parameters": model.parameterDictionary().values.reduce(0) { $0 + $1.count }]).print()
            }
        }
        // Pre-processing per target, as npe-infer runs it: one spectrum per call.
        let spectrum = Array(sample.scalars[0..<m])
        let airs = segments.last!.bins
        let gappy = spectrum.indices.map { airs.contains($0) ? Float.nan : spectrum[$0] }
        let denoiser = models[.denoiser]!, imputer = models[.imputer]!
        let cases: [(String, () throws -> Void)] = [
            ("denoiser", { _ = try denoiser.reconstruct(spectrum, rows: 1) }),
            ("imputer", { _ = try imputer.reconstruct(gappy, rows: 1) }),
            ("imputer_then_denoiser", { _ = try denoiser.reconstruct(imputer.reconstruct(gappy, rows: 1), rows: 1) }),
        ]
        for (name, body) in cases {
            let seconds = try secondsPerCall(body)
            Figure(suite: "flexare", name: "flexare_\(name)_ms_per_target", value: seconds * 1000, unit: "ms",
                   extra: ["threads": threads, "missing_bins": name == "denoiser" ? 0 : airs.count]).print()
        }
    }
}
