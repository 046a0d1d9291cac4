import Foundation
import NPEInference
import NPERegistry
import NPESupport
import NPETensor
import NPETestSupport
import Testing
@testable import NPEFlexARE

/// Both kinds publish to the registry and load back to the same reconstruction; the chain in front of a sampler
/// feeds it the processed spectrum and says when it accepts missing bins.
struct RegistryAndPipelineTests {
    static func model(_ role: FlexAREArchitecture.Role, bins m: Int = 8, seed: UInt64 = 1) throws -> FlexAREModel {
        var settings = FlexAREConfiguration()
        (settings.denoiser.hiddenWidths, settings.denoiser.latent) = ([6], 3)
        (settings.imputer.channels, settings.imputer.discriminatorWidths) = (2, [4])
        let scaling = SpectrumScaling(mean: [Float](repeating: 0.01, count: m), scale: [Float](repeating: 0.001, count: m),
                                      low: [Float](repeating: 0.008, count: m), high: [Float](repeating: 0.012, count: m))
        let model = try FlexAREModel(architecture: FlexAREArchitecture(role: role, scaling: scaling, configuration: settings), seed: seed)
        // Random weights everywhere (a fresh residual block's last scale is 0), so a lost tensor would show.
        var dictionary = model.parameterDictionary()
        for (k, key) in dictionary.keys.sorted().enumerated() {
            dictionary[key] = RandomStream(seed: 50 + UInt64(k)).normalTensor(dictionary[key]!.shape, scale: 0.3)
        }
        try model.load(dictionary)
        return model
    }

    static let spectrum: [Float] = [0.0101, 0.0099, 0.0103, .nan, .nan, 0.0098, 0.0102, 0.0100]

    @Test(arguments: FlexAREArchitecture.Role.allCases)
    func publishesAndLoadsBack(_ role: FlexAREArchitecture.Role) throws {
        let directory = try makeTemporaryDirectory("flexare-registry")
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try Self.model(role)
        let registry = ModelRegistry(root: directory)
        let lineage = DatasetLineage(path: "toy.h5", digest: String(repeating: "0", count: 64), rowCount: 10,
                                     simulator: SimulatorLineage(name: "toy", version: "1"))
        let card = try model.card(parameters: [], inputGrid: InputGrid(wavelengths: (0..<8).map { 1 + Double($0) }), dataset: lineage,
                                  training: TrainingRecord(configuration: [:], seed: 0), toolVersion: "test")
        #expect(card.kind == "flexare-\(role.rawValue)")
        let id = try registry.publish(name: "pre", card: card, weights: model.namedTensors())
        let loaded = try FlexAREModel(loaded: registry.load(id.description))
        #expect(loaded.architecture == model.architecture)
        #expect(loaded.parameterDictionary() == model.parameterDictionary())
        let input = role == .imputer ? Self.spectrum : Self.spectrum.map { $0.isNaN ? 0.01 : $0 }
        let out = try loaded.reconstruct(input, rows: 1)
        #expect(out == (try model.reconstruct(input, rows: 1)))
        #expect(out.allSatisfy { $0.isFinite })
        if role == .imputer {
            // Observed bins are kept exactly; only the missing ones are filled.
            #expect(zip(out, input).allSatisfy { $1.isNaN || $0 == $1 })
            #expect(throws: FlexAREError.self) { try loaded.reconstruct([Float](repeating: .nan, count: 8), rows: 1) }
        } else {
            #expect(throws: FlexAREError.self) { try loaded.reconstruct(Self.spectrum, rows: 1) }
        }
        #expect(throws: FlexAREError.self) { try loaded.reconstruct([0.01, 0.01], rows: 1) }
    }

    /// A sampler that records what it was given.
    final class RecordingSampler: PosteriorSampler, @unchecked Sendable {
        var seen: [Float] = []
        let parameterNames = ["a"]
        func sample(x: [Float], sigma: [Float]?, context: [Float], count: Int, stream: RandomStream, workers: Int) throws
            -> (theta: [Float], logProposal: [Float])
        {
            seen = x
            return ([Float](repeating: 0, count: count), [Float](repeating: 0, count: count))
        }
    }

    @Test func samplerSeesTheProcessedSpectrum() throws {
        let imputer = try Self.model(.imputer), denoiser = try Self.model(.denoiser, seed: 2)
        func step(_ model: FlexAREModel, _ name: String) -> SpectrumPreprocessing.Step {
            .init(model: model, reference: name, weightsSHA256: String(repeating: "a", count: 64), cardSHA256: nil, wavelengths: nil)
        }
        let chain = try SpectrumPreprocessing(steps: [step(imputer, "imp@1"), step(denoiser, "den@1")])
        let base = RecordingSampler()
        let sampler = PreprocessedSampler(base: base, preprocessing: chain)
        #expect(sampler.acceptsMissingBins && sampler.parameterNames == ["a"])
        _ = try sampler.sample(x: Self.spectrum, sigma: nil, context: [], count: 2, stream: RandomStream(seed: 1), workers: 1)
        let expected = try denoiser.reconstruct(imputer.reconstruct(Self.spectrum, rows: 1), rows: 1)
        #expect(base.seen == expected)
        // The record names both steps in order.
        let record = try JSONDecoder().decode([[String: String]].self, from: Data(chain.record.utf8))
        #expect(record.map { $0["reference"] } == ["imp@1", "den@1"])
        #expect(record.map { $0["kind"] } == ["flexare-imputer", "flexare-denoiser"])
        // A chain that starts with the denoiser needs complete spectra: the pipeline flags masked targets.
        let denoiserFirst = try SpectrumPreprocessing(steps: [step(denoiser, "den@1"), step(imputer, "imp@1")])
        #expect(!PreprocessedSampler(base: base, preprocessing: denoiserFirst).acceptsMissingBins)
        #expect(throws: FlexAREError.self) { try SpectrumPreprocessing(steps: []) }
        #expect(throws: FlexAREError.self) { try SpectrumPreprocessing(steps: [step(imputer, "imp@1"), step(try Self.model(.denoiser, bins: 6), "d6@1")]) }
    }
}
