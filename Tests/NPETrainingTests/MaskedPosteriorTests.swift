import Foundation
import NPESupport
import NPEData
import NPEFlows
import NPESimulators
import NPETensor
import Testing
@testable import NPETraining

/// End to end through the trainer with ``MaskAugmentation``: a mask-aware MAF on the linear-Gaussian problem
/// (D = 3, M = 6, three "instruments" of two bins), compared, mask by mask, with the exact posterior of the
/// observed components (``LinearGaussianProblem/observing(bins:)``).
@Test func aMaskAwareEstimatorMatchesTheExactPosteriorOfTheObservedBins() throws {
    let problem = LinearGaussianProblem.standard(thetaCount: 3, outputCount: 6)
    let rows = 8_000
    let stream = RandomStream(seed: 41)  // the dataset's stream; its children draw the test observations
    let dataset = try LinearGaussianDataset(problem, rows: rows, seed: 41, label: "mask")
    defer { dataset.remove() }
    let reader = dataset.reader, thetaAll = dataset.theta, xAll = dataset.x

    let architecture = EstimatorArchitecture(
        thetaSupports: [.identity, .identity, .identity], xCount: 6, maskInput: true, embedding: .identity, flowKind: .maf,
        transforms: 3, hiddenWidths: [64, 64])
    let standardization = try Standardization.fit(
        theta: try Tensor(shape: [rows, 3], scalars: thetaAll), x: try Tensor(shape: [rows, 6], scalars: xAll),
        supports: architecture.thetaSupports)
    let estimator = try NeuralPosteriorEstimator(architecture: architecture, standardization: standardization,
                                                 stream: RandomStream(seed: 2))
    let segments = [InstrumentSegment(name: "A", first: 0, last: 1), InstrumentSegment(name: "B", first: 2, last: 3),
                    InstrumentSegment(name: "C", first: 4, last: 5)]
    let masks = try MaskAugmentation(binCount: 6, segments: segments, probability: 0.75, segmentProbability: 0.4,
                                     randomBinRate: 0, seed: 11)
    var options = TrainingOptions()
    // Segments only (random bins are MaskAugmentationTests' job): 7 mask patterns, a family a few seconds of
    // training fits.
    options.epochs = 90
    options.batchSize = 128
    options.learningRate = 3e-3
    options.schedule = .cosine(minimum: 1e-5)
    options.patience = 90
    options.validationFraction = 0.1
    options.seed = 5
    let started = Date()
    let result = try Trainer(model: estimator, options: options, reader: reader,
                             noise: try NoiseAugmentation(sigma: problem.noiseStandardDeviation.map(Float.init), seed: 9),
                             mask: masks).run()
    print("masked linear Gaussian: trained in \(Date().timeIntervalSince(started)) s, best validation loss \(result.bestValidationLoss)")

    // Three fresh observations, each seen complete, without segment C, and with only segment A. Tolerances, in
    // exact posterior sd: means within 0.6 sd and sds within a factor 1.35 (4000 samples estimate a mean to
    // 0.016 sd and an sd to 1 %; the rest is what a 90-epoch fit of a mask-conditioned family leaves: this run is
    // within 0.34 sd and a factor 1.12, so the bounds leave room for another BLAS summation order). An estimator
    // that ignored the mask would give about the complete-spectrum width with A alone, 7–14× too narrow; one that
    // imputed the training mean would centre the A-only posterior on the wrong θ.
    let observedSets = [[0, 1, 2, 3, 4, 5], [0, 1, 2, 3], [0, 1]]
    var widthRatios: [Double] = [], worstMean = 0.0, worstWidth = 1.0
    for k in 0..<3 {
        let theta = (0..<3).map { problem.priorMean[$0] + problem.priorStandardDeviation[$0] * stream.child(77).normalDouble(UInt64(3 * k + $0)) }
        var x = try problem.simulate(theta)
        for m in 0..<6 { x[m] += problem.noiseStandardDeviation[m] * stream.child(78).normalDouble(UInt64(6 * k + m)) }
        var fullWidth: [Double] = []
        for (set, bins) in observedSets.enumerated() {
            let exact = try problem.observing(bins: bins).posterior(given: bins.map { x[$0] })
            // Missing bins hold NaN, as a catalogue marks them: the estimator must not read them.
            let input = (0..<6).map { bins.contains($0) ? Float(x[$0]) : .nan }
            let (samples, _) = try estimator.sample(
                given: try Tensor(shape: [1, 6], scalars: input),
                observed: try Tensor(shape: [1, 6], scalars: (0..<6).map { bins.contains($0) ? 1 : 0 }),
                count: 4000, stream: RandomStream(seed: UInt64(100 + k)))
            var widths: [Double] = []
            for d in 0..<3 {
                let column = (0..<4000).map { Double(samples.scalars[$0 * 3 + d]) }
                let mean = column.reduce(0, +) / 4000
                let sd = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3999).squareRoot()
                let exactSD = exact.standardDeviations[d]
                #expect(abs(mean - exact.mean[d]) < 0.6 * exactSD,
                        "observation \(k), bins \(bins), θ\(d): mean \(mean) vs exact \(exact.mean[d]) ± \(exactSD)")
                #expect(sd / exactSD < 1.35 && exactSD / sd < 1.35, "observation \(k), bins \(bins), θ\(d): sd \(sd) vs exact \(exactSD)")
                widths.append(sd)
                worstMean = max(worstMean, abs(mean - exact.mean[d]) / exactSD)
                worstWidth = max(worstWidth, sd / exactSD, exactSD / sd)
            }
            if set == 0 { fullWidth = widths } else { widthRatios += zip(widths, fullWidth).map { $0 / $1 } }
        }
    }
    // Removing information widens the posterior: with segment A alone the widest parameter is many times wider.
    #expect(widthRatios.max()! > 2, "width ratios \(widthRatios)")
    print("masked linear Gaussian: worst mean error \(worstMean) sd, worst width factor \(worstWidth); width ratios (masked / complete) \(widthRatios)")
}
