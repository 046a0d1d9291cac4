import Foundation
import NPEGAN
import NPETensor
import NPESupport

/// `gan`: the ExoGAN baseline at its default size on the 52-bin ARIEL grid with D = 7 (latent 32, c = 16):
/// one training step (discriminator + generator) on a batch of 128, and inpainting retrieval with the default
/// options (64 restarts × 300 Adam steps) per target. Spectra are synthetic positive depths; the cost does not
/// depend on their values.
enum GANSuite {
    static func run() throws {
        let threads = benchmarkThreads
        Engine.configure(blasThreads: threads)
        let d = 7, batch = 128
        let encoding = try ASPAEncoding(parameterLow: [Double](repeating: 0, count: d), parameterHigh: [Double](repeating: 1, count: d),
                                        logDepthRange: -4...(-1))
        let model = try ExoGANModel(architecture: GANArchitecture(encoding: encoding), seed: 1)
        let theta = RandomStream(seed: 2).uniformTensor([batch, d])
        let x = RandomStream(seed: 3).uniformTensor([batch, 52], low: 1e-3, high: 1e-2)
        var options = GANTrainingOptions()
        options.batchSize = batch
        let trainer = try GANTrainer(model: model, options: options)
        var step = 0
        let trainStep = {
            _ = try trainer.step(GANBatch(rows: Array((step * batch)..<((step + 1) * batch)), theta: theta, x: x, globalCount: batch),
                                 epoch: 0, index: step)
            step += 1
        }
        let stepSeconds = try secondsPerCall(trainStep)
        let stepCPU = try cpuSecondsPerCall(calls: 20, trainStep)
        Figure(suite: "gan", name: "gan_train_step", value: Double(batch) / stepSeconds, unit: "samples/s",
               extra: ["batch": batch, "threads": threads, "ms_per_step": (stepSeconds * 1e5).rounded() / 100,
                       "per_cpu_second": (Double(batch) / stepCPU).rounded(), "parameters": model.generator.parameterCount
                           + model.discriminator.parameterCount]).print()

        // Retrieval: one chunk of 8 targets (the default chunk) with the default options.
        let targets = 8
        let retrieval = try InpaintingRetrieval(model: model)
        let spectra = RandomStream(seed: 4).uniformTensor([targets, 52], low: 1e-3, high: 1e-2)
        var inferCPU = 0.0
        let inferSeconds = try secondsPerCall(warmup: 0, rounds: 1, minimumSeconds: 0) {
            inferCPU = try cpuSecondsPerCall(calls: 1) { _ = try retrieval.samples(spectra: spectra) }
        }
        Figure(suite: "gan", name: "gan_infer_s_per_target", value: inferSeconds / Double(targets), unit: "s",
               extra: ["targets": targets, "restarts": retrieval.options.restarts, "iterations": retrieval.options.iterations,
                       "threads": threads, "cpu_s_per_target": (inferCPU / Double(targets) * 1000).rounded() / 1000]).print()
    }
}
