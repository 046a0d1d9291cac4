import Foundation
import NPESupport
import NPETraining
import Testing
@testable import NPEFlexARE

/// The `flexare:` section reads through the shared configuration reader as this module's
/// `TrainingConfigurationSection`; typos and bad values name the file, line and dotted key.
@Test func flexareSectionReadsThroughTheTrainingConfiguration() throws {
    let yaml = """
        training: {epochs: 3}
        flexare:
          denoiser: {hidden_widths: [64, 32], latent: 8, activation: tanh, learning_rate: 0.002}
          imputer:
            channels: 4
            pretrain_epochs: 2
            hint_rate: 0.8
            noisy_inputs: false
        """
    let section = try TrainingConfiguration(yaml: yaml, sections: [FlexAREConfiguration.self]).flexare
    #expect(section.denoiser.hiddenWidths == [64, 32] && section.denoiser.latent == 8 && section.denoiser.activation == .tanh)
    #expect(section.denoiser.learningRate == 0.002 && section.denoiser.batchSize == 128)
    #expect(section.imputer.channels == 4 && section.imputer.pretrainEpochs == 2 && section.imputer.hintRate == 0.8)
    #expect(!section.imputer.noisyInputs && section.imputer.residualBlocks == 2 && section.imputer.learningRate == 5e-5)
    // No section: the report's defaults.
    let defaults = try TrainingConfiguration(yaml: "training: {epochs: 3}", sections: [FlexAREConfiguration.self]).flexare
    #expect(defaults == FlexAREConfiguration())
    #expect(defaults.denoiser.activation == .gelu && defaults.denoiser.learningRate == 1e-3 && defaults.imputer.activation == .relu)
}

@Test(arguments: [
    ("flexare: {imputer: {hnt_rate: 0.5}}", "key 'flexare.imputer.hnt_rate': unknown key"),
    ("flexare: {denoisr: {}}", "key 'flexare.denoisr': unknown key"),
    ("flexare: {imputer: {hint_rate: 1.5}}", "key 'flexare.imputer.hint_rate': '1.5' is invalid: expected a number in [0, 1]"),
    ("flexare: {imputer: {kernel_size: 4}}", "key 'flexare.imputer.kernel_size': '4' is invalid: expected an odd integer ≥ 1"),
    ("flexare: {denoiser: {latent: 2.5}}", "key 'flexare.denoiser.latent': '2.5' is invalid"),
    ("flexare: {denoiser: {activation: swish}}", "key 'flexare.denoiser.activation': 'swish' is invalid"),
    ("flexare: {denoiser: {hidden_widths: []}}", "key 'flexare.denoiser.hidden_widths': '[]' is invalid: expected a non-empty list"),
    ("flexare: {imputer: {noisy_inputs: maybe}}", "key 'flexare.imputer.noisy_inputs': 'maybe' is invalid"),
    ("flexare: [1, 2]", "key 'flexare': expected a mapping"),
])
func badFlexareSectionsNameTheKey(_ yaml: String, _ message: String) throws {
    do {
        _ = try TrainingConfiguration(yaml: yaml, sections: [FlexAREConfiguration.self])
        Issue.record("\(yaml) was accepted")
    } catch {
        #expect("\(error)".contains(message), "\(error)")
    }
}
