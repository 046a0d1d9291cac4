import Foundation
import NPEData
import NPEFlexARE
import NPERegistry
import NPETestSupport
import Testing

/// `npe-train --kind denoiser|imputer` and `npe-infer --preprocess` end to end on a tiny ARIEL dataset: both
/// networks and a flow on clean spectra trained through the binaries (tiny sizes, one or two epochs), published
/// with their own cards, then run in front of the flow on a CSV catalogue with one complete and one masked target.
@Suite(.serialized)
struct FlexARECommandTests {
    init() throws { try #require(CommandHarness.available, "npe-train or npe-build-dataset is not built: run swift build --build-tests first") }

    static let tinyConfiguration = """
        flexare:
          denoiser: {hidden_widths: [32], latent: 8, batch_size: 64}
          imputer: {channels: 2, discriminator_widths: [16], batch_size: 64, pretrain_epochs: 1, learning_rate: 0.001}
        training: {epochs: 2, seed: 3, shuffle_buffer_chunks: 2}
        """
    static let flowConfiguration = """
        flow: {kind: maf, transforms: 2, hidden_widths: [16]}
        embedding: {kind: mlp, hidden_widths: [32], output: 8}
        noise: {model: none}
        training: {epochs: 1, batch_size: 128, seed: 3}
        """

    @Test func trainsPreprocessorsAndInfersThroughThem() throws {
        let h = try CommandHarness()
        try h.buildDataset(["--rows", "1200", "--out", "ariel", "--seed", "4", "--threads", "2"])
        try h.write(Self.tinyConfiguration, to: "flexare.yaml")
        try h.write(Self.flowConfiguration, to: "flow.yaml")
        for (kind, name) in [("denoiser", "den"), ("imputer", "imp")] {
            let result = try h.train(["--kind", kind, "--dataset", "ariel", "--registry", "reg", "--name", name,
                                      "--config", "flexare.yaml", "--workers", "2"])
            #expect(result.status == 0, "\(kind): \(result.errors)")
            #expect(result.output.contains("published \(name)@1"))
            #expect(result.errors.contains("epoch 2/2") && result.errors.contains("1−RMSE"), "\(result.errors)")
        }
        let flow = try h.train(["--dataset", "ariel", "--registry", "reg", "--name", "flow", "--config", "flow.yaml"])
        #expect(flow.status == 0, "\(flow.errors)")

        let registry = ModelRegistry(root: h.url("reg"))
        let denoiser = try registry.load("den@1"), imputer = try registry.load("imp@1")
        #expect(denoiser.card.kind == "flexare-denoiser" && imputer.card.kind == "flexare-imputer")
        #expect(denoiser.card.metrics["validation_accuracy"] != nil && imputer.attachedFileNames.contains("metrics.jsonl"))
        let imputerModel = try FlexAREModel(loaded: imputer)
        #expect(imputerModel.architecture.imputer?.channels == 2 && imputerModel.architecture.binCount == 52)
        // The role's section reaches the card.
        #expect(try FlexAREModel(loaded: denoiser).architecture.denoiser?.batchSize == 64)

        // Two targets from the dataset: one complete, one with AIRS-CH1's bins missing (empty CSV cells).
        let reader = try TrainingDatasetReader(contentsOf: h.url("ariel/dataset.h5"))
        let rows = try reader.readRows(0..<40)
        let usable = Array((0..<40).filter { (rows.flags?[$0] ?? 0) == 0 }.prefix(2))
        let contextNames = reader.metadata.contextNames, a = contextNames.count
        var csv = (["id"] + (0..<52).map { "x_\($0)" } + contextNames).joined(separator: ",") + "\n"
        for (n, k) in usable.enumerated() {
            let x = (0..<52).map { j in n == 1 && j >= 30 ? "" : String(rows.x[k * 52 + j]) }
            let context = (0..<a).map { String(rows.context![k * a + $0]) }
            csv += (["t\(n)"] + x + context).joined(separator: ",") + "\n"
        }
        try h.write(csv, to: "targets.csv")
        let infer = builtExecutable(named: "npe-infer")
        let base = ["--registry", "reg", "--model", "flow@1", "--catalogue", "targets.csv", "--samples", "16", "--threads", "1",
                    "--predictive-draws", "0"]
        let result = try runProcess(infer, base + ["--out", "post.h5", "--preprocess", "imputer@imp@1,denoiser@den@1"],
                                    in: h.root, environment: CommandHarness.environment())
        #expect(result.status == 0, "\(result.errors)")
        let file = try HDF5File.open(at: h.url("post.h5"))
        let root = try file.root()
        let chain = try JSONDecoder().decode([[String: String]].self, from: Data(try root.attributes.string("preprocessing").utf8))
        #expect(chain.map { $0["reference"] } == ["imp@1", "den@1"])
        #expect(chain[0]["weights_sha256"] == imputer.card.weights.sha256 && chain[1]["card_sha256"]?.count == 64)
        #expect(try root.attributes.string("model_reference") == "flow@1")
        let samples = try root.openDataset("samples").readAll(as: Float.self)
        #expect(samples.count == 2 * 16 * 7 && samples.allSatisfy { $0.isFinite }, "both targets, the masked one too, are inferred")

        // The denoiser first needs complete spectra: the masked target is flagged, not passed on with gaps.
        let flagged = try runProcess(infer, base + ["--out", "flagged.h5", "--preprocess", "denoiser@den@1"],
                                     in: h.root, environment: CommandHarness.environment())
        #expect(flagged.status == 0, "\(flagged.errors)")
        let flaggedSamples = try HDF5File.open(at: h.url("flagged.h5")).root().openDataset("samples").readAll(as: Float.self)
        #expect(flaggedSamples[0..<(16 * 7)].allSatisfy { $0.isFinite } && flaggedSamples[(16 * 7)...].allSatisfy { $0.isNaN })

        // Pre-processing models are not posterior models, and --preprocess takes only them.
        let cases: [([String], String)] = [
            (["--registry", "reg", "--model", "den@1", "--catalogue", "targets.csv", "--samples", "4", "--out", "a.h5"],
             "pre-processing step with no posterior"),
            (base + ["--out", "b.h5", "--preprocess", "denoiser@flow@1"], "flow@1 is a npe-flow model, not a flexare-denoiser"),
            (base + ["--out", "c.h5", "--preprocess", "smoother@den@1"], "'smoother@den@1' is not ROLE@REF"),
        ]
        for (arguments, message) in cases {
            let refused = try runProcess(infer, arguments, in: h.root, environment: CommandHarness.environment())
            #expect(refused.status != 0 && refused.errors.contains(message), "\(arguments): \(refused.errors)")
        }
    }

    @Test func badFlexareConfigurationsAreReportedBeforeAnyWork() throws {
        let h = try CommandHarness()
        try h.buildDataset(["--simulator", "linear-gaussian", "--rows", "200", "--out", "lg", "--seed", "3", "--threads", "2"])
        try h.write("flexare:\n  imputer: {hnt_rate: 0.5}\n", to: "typo.yaml")
        let cases: [([String], String)] = [
            (["--kind", "imputer", "--dataset", "lg", "--config", "typo.yaml"], "typo.yaml:2: key 'flexare.imputer.hnt_rate': unknown key"),
            (["--kind", "denoiser", "--dataset", "lg", "--learning-rate", "0"], "key 'flexare.denoiser.learning_rate': '0.0' is invalid: expected a positive number"),
            // The linear-Gaussian problem's 10 features are not on Ariel's instrument grid.
            (["--kind", "imputer", "--dataset", "lg"], "segments: ariel needs a grid"),
        ]
        for (arguments, message) in cases {
            let result = try h.train(arguments + ["--registry", "reg", "--name", "p"])
            #expect(result.status != 0 && result.errors.contains(message), "\(arguments): \(result.errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: h.url("checkpoints/p").path))
    }
}
