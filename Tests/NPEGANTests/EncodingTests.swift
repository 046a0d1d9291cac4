import Foundation
import NPETensor
import Testing
@testable import NPEGAN

/// Every pixel has exactly one role: 52·2 spectral + 4·2·3 strip + 8·16 patch pixels = 256.
@Test func layoutPartitionsTheImage() {
    var owners = [Int](repeating: 0, count: ASPALayout.pixelCount)
    for bin in 0..<ASPALayout.binCount { for p in ASPALayout.spectralPixels(bin: bin) { owners[p] += 1 } }
    for s in 0..<ASPALayout.segmentCount {
        for p in ASPALayout.stripPixels(segment: s, maximum: true) + ASPALayout.stripPixels(segment: s, maximum: false) { owners[p] += 1 }
    }
    for q in 0...ASPALayout.meanPatch { for p in ASPALayout.patchPixels(q) { owners[p] += 1 } }
    #expect(owners.allSatisfy { $0 == 1 })
    #expect(!ASPALayout.diagram.contains("?"))
}

/// Encode then decode gives θ and x back up to the Float32 rounding of the pixels: parameters to 1e-6 of their
/// range (a Float32 pixel in [−1, 1] is exact to 6e-8), depths to 2e-6 relative (the strip pixel's 6e-8 error is
/// amplified by ln 10 · (b − a)/2 ≈ 3 for a 2.4-decade range, then by ≤ 2 through min + u·(max − min)).
@Test func encodingRoundTripsThetaAndSpectra() throws {
    let encoding = try ToyProblem.encoding()
    var (theta, x) = try ToyProblem.rows(50, seed: 11)
    // Include the box corners and a flat segment (constant spectrum).
    theta[scalarAt: 0] = 0; theta[scalarAt: 1] = 1; theta[scalarAt: 2] = 0
    for j in 0..<52 { x[scalarAt: 52 + j] = 4e-3 }
    let images = try encoding.encode(theta: theta, x: x)
    #expect(images.shape == [50, 16, 16, 1])
    #expect(images.scalars.allSatisfy { abs($0) <= 1 })
    let thetaBack = try encoding.decodeParameters(images), xBack = try encoding.decodeSpectra(images)
    for i in 0..<theta.count { #expect(abs(thetaBack.scalars[i] - theta.scalars[i]) <= 1e-6) }
    for i in 0..<x.count { #expect(abs(xBack.scalars[i] - x.scalars[i]) <= 2e-6 * x.scalars[i]) }
}

/// Bad rows are named: a non-positive depth by row and bin, a θ outside the box by row and parameter.
@Test func encodingNamesBadRows() throws {
    let encoding = try ToyProblem.encoding()
    var (theta, x) = try ToyProblem.rows(3, seed: 12)
    x[scalarAt: 2 * 52 + 17] = -1e-4
    #expect(throws: ExoGANError.invalidDepth(row: 2, bin: 17, value: -1e-4)) { try encoding.encode(spectra: x) }
    x[scalarAt: 2 * 52 + 17] = 1e-3
    theta[scalarAt: 1 * 3 + 2] = 1.5
    #expect(throws: ExoGANError.parameterOutsidePrior(row: 1, parameter: 2, value: 1.5, low: 0, high: 1)) {
        try encoding.encode(theta: theta, x: x)
    }
    #expect(throws: ExoGANError.spectrumLength(expected: 52, got: 51)) { try encoding.encode(spectra: Tensor.zeros([2, 51])) }
    #expect(throws: ExoGANError.invalidPriorBounds(parameter: 1, low: 2, high: 2)) {
        try ASPAEncoding(parameterLow: [0, 2], parameterHigh: [1, 2], logDepthRange: -4...(-1))
    }
}

/// Context weights: zero on the parameter patches; with σ, inverse noise in pixel units, mean 1 over the spectral
/// pixels, so a bin with half the σ of the others in its segment weighs twice as much.
@Test func contextWeightsFollowTheNoise() throws {
    let encoding = try ToyProblem.encoding()
    let (_, x) = try ToyProblem.rows(1, seed: 13)
    let plain = try encoding.contextWeights(spectra: x, sigma: nil)
    #expect(plain.scalars == encoding.knownMask)
    #expect(encoding.knownMask.filter { $0 == 0 }.count == 3 * 16)
    var sigma = Tensor(repeating: 1e-5, shape: [1, 52])
    sigma[scalarAt: 3] = 5e-6
    let weighted = try encoding.contextWeights(spectra: x, sigma: sigma)
    let spectral = (0..<52).flatMap { ASPALayout.spectralPixels(bin: $0) }
    let mean = spectral.reduce(0.0) { $0 + Double(weighted.scalars[$1]) } / Double(spectral.count)
    #expect(abs(mean - 1) < 1e-5)  // Float32 weights summed over 104 pixels
    let p3 = ASPALayout.spectralPixels(bin: 3)[0], p4 = ASPALayout.spectralPixels(bin: 4)[0]
    #expect(abs(weighted.scalars[p3] / weighted.scalars[p4] - 2) < 1e-5)
    for q in 0..<3 { for p in ASPALayout.patchPixels(q) { #expect(weighted.scalars[p] == 0) } }
    sigma[scalarAt: 7] = 0
    #expect(throws: ExoGANError.invalidSigma(row: 0, bin: 7, value: 0)) { try encoding.contextWeights(spectra: x, sigma: sigma) }
}
