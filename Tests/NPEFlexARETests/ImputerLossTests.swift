import Foundation
import NPENN
import NPETensor
import NPETestSupport
import Testing
@testable import NPEFlexARE

/// The imputer's four terms on a 1 × 4 example worked by hand (tolerance 1e-6: Float32 sums of a few O(1) terms
/// carry ~1e-7 rounding), and the gradient of the weighted total against
/// finite differences.
@Test func imputerTermsMatchTheirDefinitions() throws {
    var settings = FlexAREConfiguration.Imputer()
    (settings.l1Weight, settings.adversarialWeight, settings.continuityWeight, settings.physicsWeight) = (1, 0.5, 2, 3)
    // Standardised envelope (−1, 1) at every bin: mean 0, scale 1, low −1, high 1.
    let scaling = SpectrumScaling(mean: [0, 0, 0, 0], scale: [1, 1, 1, 1], low: [-1, -1, -1, -1], high: [1, 1, 1, 1])
    let loss = ImputerLoss(configuration: settings, scaling: scaling)
    let target = try Tensor(shape: [1, 4], scalars: [0, 0.5, 0.5, 0])
    let input = try Tensor(shape: [1, 4], scalars: [0.1, 0, 0, 0])
    let observed = try Tensor(shape: [1, 4], scalars: [1, 0, 0, 1])
    let generated = Variable(try Tensor(shape: [1, 4], scalars: [0.2, 1.5, 0.5, -0.1]), requiresGradient: true)
    let completed = try ImputerLoss.completed(generated: generated, input: input, observed: observed)
    // ẑ keeps the observed bins as given (0.1 and 0) and takes G elsewhere.
    #expect(completed.value.scalars == [0.1, 1.5, 0.5, 0])
    let logits = Variable(try Tensor(shape: [1, 4], scalars: [0, 0, 2, 0]))
    let terms = try loss.generatorTerms(generated: generated, completed: completed, target: target, observed: observed,
                                        discriminatorLogits: logits)
    // L1: |0.2| + |1.0| + 0 + |−0.1| = 1.3; per bin 0.325.
    expectClose(terms.l1, 1.3 / 4, absolute: 1e-6)
    // Physics: only bin 1 (imputed, 1.5 > 1): 0.5² = 0.25.
    expectClose(terms.physics, 0.25 / 4, absolute: 1e-6)
    // Continuity: all three pairs touch an imputed bin. Steps of ẑ: 1.4, −1.0, −0.5; of z: 0.5, 0, −0.5.
    // (0.9)² + (1.0)² + 0² = 1.81.
    expectClose(terms.continuity, 1.81 / 4, absolute: 1e-6)
    // Adversarial on the imputed bins 1 and 2: softplus(0) + softplus(−2).
    let adversarial: Double = log(2.0) + log(1 + exp(-2.0))
    expectClose(terms.adversarial, adversarial / 4, absolute: 1e-6)
    let weighted: Double = 1 * 1.3 + 0.5 * adversarial + 2 * 1.81 + 3 * 0.25
    let total = weighted / 4
    expectClose(Double(terms.total.value.scalarValue), total, absolute: 1e-5)
    // The discriminator's cross-entropy on the mask: observed bins 0, 3 want D → 1, imputed 1, 2 want D → 0.
    let d = try ImputerLoss.discriminatorLoss(logits: logits, observed: observed)
    let crossEntropy: Double = 3 * log(2.0) + log(1 + exp(2.0))
    expectClose(Double(d.value.scalarValue), crossEntropy / 4, absolute: 1e-5)

    // Gradient of the total with respect to G (away from the L1 and hinge kinks).
    try checkGradients("imputer loss", inputs: [try Tensor(shape: [2, 4], scalars: [0.3, 1.6, 0.4, -0.2, -0.4, 0.7, -1.5, 0.9])]) { v in
        let target = try Tensor(shape: [2, 4], scalars: [0, 0.5, 0.5, 0, 0.1, 0.2, -1, 0.5])
        let observed = try Tensor(shape: [2, 4], scalars: [1, 0, 0, 1, 0, 1, 0, 1])
        let zeros = Tensor.zeros([2, 4])
        let completed = try ImputerLoss.completed(generated: v[0], input: zeros, observed: observed)
        let logits = try completed * 0.7
        return try loss.generatorTerms(generated: v[0], completed: completed, target: target, observed: observed,
                                       discriminatorLogits: logits).total
    }
}

/// 1 − RMSE on the envelope's unit scale, as documented: an error of a tenth of a bin's envelope everywhere is an
/// accuracy of 0.9, and the ppm figure is the raw depth error.
@Test func reconstructionAccuracyIsOneMinusUnitRMSE() throws {
    let scaling = SpectrumScaling(mean: [0.01, 0.01], scale: [1, 1], low: [0.009, 0.008], high: [0.011, 0.012])
    var accuracy = ReconstructionAccuracy(scaling: scaling)
    // Errors of 0.0002 (a tenth of 0.002) and 0.0004 (a tenth of 0.004).
    accuracy.add(reconstruction: [0.0102, 0.0104], truth: [0.01, 0.01])
    expectClose(accuracy.rmse, 0.1, absolute: 1e-5)
    expectClose(accuracy.accuracy, 0.9, absolute: 1e-5)
    expectClose(accuracy.rmsePPM, 1e6 * ((0.0002 * 0.0002 + 0.0004 * 0.0004) / 2).squareRoot(), relative: 1e-4)
    var selective = ReconstructionAccuracy(scaling: scaling)
    selective.add(reconstruction: [0.0102, 0.0112], truth: [0.01, 0.01]) { _, bin in bin == 0 }
    expectClose(selective.rmse, 0.1, absolute: 1e-5)
    #expect(selective.count == 1)
}
