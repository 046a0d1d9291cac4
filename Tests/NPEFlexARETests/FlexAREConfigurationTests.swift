import Foundation
import NPESupport
import NPETraining
import Testing
@testable import NPEFlexARE

/// The `flexare:` section travels through the shared YAML reader as plain data and is read, checked and written
/// back by this module; typos and bad values name the dotted key.
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
    let configuration = try TrainingConfiguration(yaml: yaml)
    let section = try FlexAREConfiguration(section: configuration.kindSections["flexare"])
    #expect(section.denoiser.hiddenWidths == [64, 32] && section.denoiser.latent == 8 && section.denoiser.activation == .tanh)
    #expect(section.denoiser.learningRate == 0.002 && section.denoiser.batchSize == 128)
    #expect(section.imputer.channels == 4 && section.imputer.pretrainEpochs == 2 && section.imputer.hintRate == 0.8)
    #expect(!section.imputer.noisyInputs && section.imputer.residualBlocks == 2 && section.imputer.learningRate == 5e-5)
    // The written section reads back to the same values (what applying() and the card keep).
    #expect(try FlexAREConfiguration(section: section.section) == section)
    // No section: the report's defaults.
    let defaults = try FlexAREConfiguration(section: TrainingConfiguration(yaml: "training: {epochs: 3}").kindSections["flexare"])
    #expect(defaults == FlexAREConfiguration())
    #expect(defaults.denoiser.activation == .gelu && defaults.denoiser.learningRate == 1e-3 && defaults.imputer.activation == .relu)
}

@Test(arguments: [
    ("flexare: {imputer: {hnt_rate: 0.5}}", "flexare.imputer.hnt_rate: unknown key"),
    ("flexare: {denoisr: {}}", "flexare.denoisr: unknown key"),
    ("flexare: {imputer: {hint_rate: 1.5}}", "flexare.imputer.hint_rate: expected a number in [0, 1], got 1.5"),
    ("flexare: {imputer: {kernel_size: 4}}", "flexare.imputer.kernel_size: expected an odd integer ≥ 1"),
    ("flexare: {denoiser: {latent: 2.5}}", "flexare.denoiser.latent: expected an integer, got 2.5"),
    ("flexare: {denoiser: {activation: swish}}", "flexare.denoiser.activation: expected one of"),
    ("flexare: {denoiser: {hidden_widths: []}}", "flexare.denoiser.hidden_widths: expected a non-empty list"),
    ("flexare: {imputer: {noisy_inputs: 'yes'}}", "flexare.imputer.noisy_inputs: expected true or false"),
    ("flexare: [1, 2]", "flexare: expected a mapping"),
])
func badFlexareSectionsNameTheKey(_ yaml: String, _ message: String) throws {
    let configuration = try TrainingConfiguration(yaml: yaml)
    do {
        _ = try FlexAREConfiguration(section: configuration.kindSections["flexare"])
        Issue.record("\(yaml) was accepted")
    } catch {
        #expect("\(error)".contains(message), "\(error)")
    }
}
