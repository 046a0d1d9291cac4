import Foundation
import NPEData
import NPEGAN
import NPERegistry
import NPETensor
import NPETestSupport
import Testing

/// `npe-train --kind exogan` end to end: a tiny ARIEL dataset, a tiny GAN trained for two epochs through the
/// binary (two thread workers), published as kind `exogan` and loaded back with `ExoGANModel(loaded:)`; and the
/// configuration's `exogan:` section checked like the rest.
@Suite(.serialized)
struct ExoGANCommandTests {
    init() throws { try #require(CommandHarness.available, "npe-train or npe-build-dataset is not built: run swift build --build-tests first") }

    /// Small networks and a short retrieval default, so the run takes seconds.
    static let tinyConfiguration = """
        exogan: {latent_dimension: 8, base_channels: 4, batch_size: 64, restarts: 4, iterations: 10}
        training: {epochs: 2, seed: 3, shuffle_buffer_chunks: 2}
        """

    @Test func trainsPublishesAndLoadsBack() throws {
        let h = try CommandHarness()
        try h.buildDataset(["--rows", "1500", "--out", "ariel", "--seed", "4", "--threads", "2"])
        try h.write(Self.tinyConfiguration, to: "gan.yaml")
        let result = try h.train(["--kind", "exogan", "--dataset", "ariel", "--registry", "reg", "--name", "gan",
                                  "--config", "gan.yaml", "--workers", "2"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("published gan@1"))
        #expect(result.errors.contains("epoch 2/2"), "progress is reported per epoch: \(result.errors)")

        let registry = ModelRegistry(root: h.url("reg"))
        let loaded = try registry.load("gan@1")
        #expect(loaded.card.kind == "exogan")
        #expect(loaded.card.parameters.map(\.name) == ["planet_radius", "planet_temp", "log_H2O", "log_CO2", "log_CO",
                                                       "log_CH4", "log_NH3"])
        #expect(loaded.card.inputGrid?.wavelengths.count == 52)
        #expect(loaded.card.dataset.rowCount == 1500)
        #expect(loaded.attachedFileNames.contains("metrics.jsonl") && loaded.attachedFileNames.contains("train.yaml"))
        let log = try registry.attachedFile(named: "metrics.jsonl", of: loaded.id)
        let epochs = try String(decoding: log, as: UTF8.self).split(separator: "\n")
            .map { try JSONDecoder().decode(GANEpochMetrics.self, from: Data($0.utf8)) }
        #expect(epochs.count == 2)
        // The discriminator neither collapses nor wins outright in two short epochs: D(x) stays inside (0.05, 0.95)
        // (at equilibrium it is 0.5; a broken update drives it to 0 or 1 within an epoch).
        #expect(epochs.allSatisfy { $0.realScore > 0.05 && $0.realScore < 0.95 && $0.discriminatorLoss.isFinite }, "\(epochs)")

        let model = try ExoGANModel(loaded: loaded)
        #expect(model.architecture.latentDimension == 8 && model.architecture.baseChannels == 4)
        // The loaded model retrieves a training spectrum: R samples per target inside the prior box.
        let reader = try TrainingDatasetReader(contentsOf: h.url("ariel/dataset.h5"))
        let flags = try reader.readRows(0..<20)
        let good = try #require((0..<20).first { (flags.flags?[$0] ?? 0) == 0 })
        let x = try Tensor(shape: [1, 52], scalars: Array(flags.x[(good * 52)..<((good + 1) * 52)]))
        var options = InpaintingOptions()
        options.restarts = 4
        options.iterations = 10
        let samples = try InpaintingRetrieval(model: model, options: options).samples(spectra: x)
        #expect(samples.shape == [1, 4, 7])
        let encoding = model.encoding
        for j in 0..<7 {
            #expect((0..<4).allSatisfy {
                let v = Double(samples.scalars[$0 * 7 + j])
                return v >= encoding.parameterLow[j] && v <= encoding.parameterHigh[j]
            })
        }
        // Publishing cleared the checkpoint.
        #expect(!FileManager.default.fileExists(atPath: h.url("checkpoints/gan/checkpoint.safetensors").path))

        try inferWritesThePosteriorFormat(h, reader: reader)
    }

    /// `npe-infer --model gan@1` on a 3-target CSV catalogue: the flow's file format, S restarts per target inside
    /// the prior box, log q NaN (a GAN has no density); `--importance-sampling` refused before any work.
    func inferWritesThePosteriorFormat(_ h: CommandHarness, reader: TrainingDatasetReader) throws {
        let names = ["planet_radius", "planet_temp", "log_H2O", "log_CO2", "log_CO", "log_CH4", "log_NH3"]
        let rows = try reader.readRows(0..<40)
        let usable = (0..<40).filter { (rows.flags?[$0] ?? 0) == 0 }.prefix(3)
        var csv = (["id"] + (0..<52).map { "x_\($0)" } + names.map { "true_\($0)" }).joined(separator: ",") + "\n"
        for k in usable {
            let x = rows.x[(k * 52)..<((k + 1) * 52)].map { String($0) }
            let theta = rows.theta[(k * 7)..<((k + 1) * 7)].map { String($0) }
            csv += (["row\(k)"] + x + theta).joined(separator: ",") + "\n"
        }
        try h.write(csv, to: "targets.csv")
        let infer = builtExecutable(named: "npe-infer")
        let base = ["--registry", "reg", "--model", "gan@1", "--catalogue", "targets.csv", "--samples", "4", "--threads", "1"]
        let refused = try runProcess(infer, base + ["--out", "is.h5", "--importance-sampling"], in: h.root,
                                     environment: CommandHarness.environment())
        #expect(refused.status != 0 && refused.errors.contains("a GAN has no density"), "\(refused.errors)")
        #expect(!FileManager.default.fileExists(atPath: h.url("is.h5").path))

        let result = try runProcess(infer, base + ["--out", "post.h5"], in: h.root, environment: CommandHarness.environment())
        #expect(result.status == 0, "\(result.errors)")
        let file = try HDF5File.open(at: h.url("post.h5"))
        let root = try file.root()
        #expect(try root.attributes.string("model_kind") == "exogan")
        let samples = try root.openDataset("samples").readAll(as: Float.self)
        let logq = try root.openDataset("log_q").readAll(as: Float.self)
        #expect(samples.count == 3 * 4 * 7 && logq.count == 3 * 4)
        #expect(logq.allSatisfy { $0.isNaN })
        let low: [Float] = [0.1, 300, -12, -12, -12, -12, -12], high: [Float] = [2.2, 3000, -1, -1, -1, -1, -1]
        #expect(samples.indices.allSatisfy { samples[$0] >= low[$0 % 7] && samples[$0] <= high[$0 % 7] })
    }

    @Test func badExoGANConfigurationsAreReportedBeforeAnyWork() throws {
        let h = try CommandHarness()
        try h.buildDataset(["--simulator", "linear-gaussian", "--rows", "200", "--out", "lg", "--seed", "3", "--threads", "2"])
        try h.write("exogan:\n  latent_dimension: 8\n  restart: 4\n", to: "typo.yaml")
        try h.write("exogan: {base_channels: 0}\n", to: "zero.yaml")
        let base = ["--kind", "exogan", "--registry", "reg", "--name", "g"]
        let cases: [([String], String)] = [
            (["--dataset", "lg", "--config", "typo.yaml"] + base, "typo.yaml:3: key 'exogan.restart': unknown key"),
            (["--dataset", "lg", "--config", "zero.yaml"] + base, "key 'exogan.base_channels': '0' is invalid"),
            // The linear-Gaussian problem has 10 features, not the 52 ADC2023 bins the image holds.
            (["--dataset", "lg"] + base, "the ExoGAN layout holds the 52 ADC2023 bins"),
        ]
        for (arguments, message) in cases {
            let result = try h.train(arguments)
            #expect(result.status != 0 && result.errors.contains(message), "\(arguments): \(result.errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: h.url("checkpoints/g").path))
    }
}
