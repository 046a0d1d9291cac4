import Foundation
import NPESupport
import NPEFlows
import NPENN
import NPETensor
import Testing

/// The observed mask as a network input (``EstimatorArchitecture/maskInput``).
@Suite("Estimator: masked bins")
struct MaskInputTests {
    static func estimator(maskInput: Bool, noiseLevelInput: Bool = true,
                          embedding: EmbeddingArchitecture = EmbeddingArchitecture(kind: .mlp, hiddenWidths: [8], outputCount: 4))
        throws -> NeuralPosteriorEstimator
    {
        let architecture = EstimatorArchitecture(
            thetaSupports: [.logit(low: -3, high: 3), .identity], xCount: 5, noiseLevelInput: noiseLevelInput,
            maskInput: maskInput, embedding: embedding, flowKind: .nsfc, transforms: 2, hiddenWidths: [10, 10], bins: 5, tailBound: 4)
        return try NeuralPosteriorEstimator(architecture: architecture, standardization: .identity(thetaCount: 2, xCount: 5),
                                            stream: RandomStream(seed: 9))
    }

    static let theta = try! Tensor(rows: [[0.5, 1.0], [-1.0, 0.0]])
    static let x = RandomStream(seed: 3).normalTensor([2, 5])
    static let sigma = Tensor(repeating: 0.3, shape: [2, 5])
    static let mask = try! Tensor(rows: [[1, 0, 1, 1, 0], [1, 1, 1, 1, 1]])

    @Test("missing bins are not read: any value there, NaN included, gives the same density and samples")
    func missingValuesAreIgnored() throws {
        let estimator = try Self.estimator(maskInput: true)
        #expect(estimator.architecture.inputChannels == 3 && estimator.architecture.flow.contextCount == 4)
        var gaps = Self.x, gapSigma = Self.sigma
        for bin in [1, 4] {
            gaps[0, bin] = .nan
            gapSigma[0, bin] = .nan
        }
        let a = try estimator.logProbability(of: Self.theta, given: Self.x, sigma: Self.sigma, observed: Self.mask)
        let b = try estimator.logProbability(of: Self.theta, given: gaps, sigma: gapSigma, observed: Self.mask)
        #expect(a.scalars == b.scalars)
        let draws = try estimator.sample(given: gaps, sigma: gapSigma, observed: Self.mask, count: 50, stream: RandomStream(seed: 1))
        let reference = try estimator.sample(given: Self.x, sigma: Self.sigma, observed: Self.mask, count: 50, stream: RandomStream(seed: 1))
        #expect(draws.theta.scalars == reference.theta.scalars && draws.theta.scalars.allSatisfy { $0.isFinite })
        // The mask is read: the same numbers marked observed give another density; no mask means all observed.
        let complete = try estimator.logProbability(of: Self.theta, given: Self.x, sigma: Self.sigma)
        #expect(complete[scalarAt: 0] != a[scalarAt: 0] && complete[scalarAt: 1] == a[scalarAt: 1])
        // A gradient reaches every parameter through the masked input.
        try estimator.loss(theta: Self.theta, x: gaps, sigma: gapSigma, observed: Self.mask).backward()
        for (name, p) in estimator.namedParameters {
            #expect(p.gradient?.scalars.contains { $0 != 0 } == true, "no gradient reached \(name)")
        }
    }

    @Test("the convolutional embedding reads the mask as a third channel")
    func convolutionalEmbeddingTakesTheMaskChannel() throws {
        let estimator = try Self.estimator(
            maskInput: true, embedding: EmbeddingArchitecture(kind: .residualConvolution, hiddenWidths: [8], outputCount: 4, channels: 4,
                                                              blocks: 1, kernelSize: 3))
        var gaps = Self.x
        gaps[0, 1] = .nan
        let value = try estimator.logProbability(of: Self.theta, given: gaps, sigma: Self.sigma, observed: Self.mask)
        #expect(value.scalars.allSatisfy { $0.isFinite })
    }

    @Test("a model without a mask input refuses missing bins; masks and inputs are checked bin by bin")
    func badMasksAreErrorsNamingTheBin() throws {
        let plain = try Self.estimator(maskInput: false)
        #expect(throws: EstimatorError.maskUnsupported(row: 0, column: 1)) {
            try plain.logProbability(of: Self.theta, given: Self.x, sigma: Self.sigma, observed: Self.mask)
        }
        #expect(EstimatorError.maskUnsupported(row: 0, column: 1).description
            == "observed: row 0, bin 1 is missing, but this estimator was trained without masks (no mask input)")
        // An all-observed mask is accepted by any model, and changes nothing.
        let ones = Tensor(repeating: 1, shape: [2, 5])
        #expect(try plain.logProbability(of: Self.theta, given: Self.x, sigma: Self.sigma, observed: ones).scalars
            == plain.logProbability(of: Self.theta, given: Self.x, sigma: Self.sigma).scalars)
        let masked = try Self.estimator(maskInput: true)
        var half = Self.mask
        half[1, 3] = 0.5
        #expect(throws: EstimatorError.invalidMask(row: 1, column: 3, value: 0.5)) {
            try masked.logProbability(of: Self.theta, given: Self.x, sigma: Self.sigma, observed: half)
        }
        // NaN at an observed bin is still an error, in x and in σ; σ must stay positive where observed.
        var nanX = Self.x
        nanX[0, 2] = .nan
        #expect(throws: EstimatorError.nonFinite(argument: "x", row: 0, column: 2)) {
            try masked.logProbability(of: Self.theta, given: nanX, sigma: Self.sigma, observed: Self.mask)
        }
        var zeroSigma = Self.sigma
        zeroSigma[0, 3] = 0
        #expect(throws: EstimatorError.nonPositiveNoiseLevel(row: 0, column: 3, value: 0)) {
            try masked.logProbability(of: Self.theta, given: Self.x, sigma: zeroSigma, observed: Self.mask)
        }
        #expect(throws: EstimatorError.wrongWidth(argument: "observed", expected: 5, shape: [2, 4])) {
            try masked.logProbability(of: Self.theta, given: Self.x, sigma: Self.sigma, observed: Tensor(repeating: 1, shape: [2, 4]))
        }
    }

    @Test("cards written before masks existed still decode, as models without a mask input")
    func architecturesWithoutTheMaskKeyDecode() throws {
        let plain = try Self.estimator(maskInput: false).architecture
        var object = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(plain)) as? [String: Any])
        #expect(object["maskInput"] as? Bool == false)
        object["maskInput"] = nil
        let old = try JSONDecoder().decode(EstimatorArchitecture.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(old == plain && !old.maskInput)
        let masked = try Self.estimator(maskInput: true).architecture
        #expect(try JSONDecoder().decode(EstimatorArchitecture.self, from: try JSONEncoder().encode(masked)) == masked)
    }
}
