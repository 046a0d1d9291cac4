import Foundation
import NPEData
import NPESimulators
import NPETensor
import Testing
@testable import NPETraining

/// The shipped ADC2023 grid's bin centres (ascending, µm).
private func arielCentres() throws -> [Double] {
    let url = try ArielWavelengthGrid.bundledURL()
    return try ArielWavelengthGrid(csv: String(contentsOf: url, encoding: .utf8), file: url.path).centres
}

@Test func arielInstrumentsAreFoundOnTheShippedGrid() throws {
    let segments = try #require(InstrumentSegment.segments(of: InstrumentSegment.arielCoverage, centres: try arielCentres()))
    // The ranges FORWARD_MODEL.md gives for the 52-bin grid: 3 photometric bins, 6 NIRSpec, 33 AIRS-CH0, 10 AIRS-CH1.
    #expect(segments == [
        InstrumentSegment(name: "VISPhot", first: 0, last: 0), InstrumentSegment(name: "FGS1", first: 1, last: 1),
        InstrumentSegment(name: "FGS2", first: 2, last: 2), InstrumentSegment(name: "NIRSpec", first: 3, last: 8),
        InstrumentSegment(name: "AIRS-CH0", first: 9, last: 41), InstrumentSegment(name: "AIRS-CH1", first: 42, last: 51),
    ])
    // A grid with a bin outside every instrument (an analytic problem's feature indices) is not an Ariel grid.
    #expect(InstrumentSegment.segments(of: InstrumentSegment.arielCoverage, centres: [0, 1, 2]) == nil)
    // Nor is one whose instrument bins are interleaved with another's.
    #expect(InstrumentSegment.segments(of: InstrumentSegment.arielCoverage, centres: [1.2, 2.0, 1.5].sorted() + [1.3]) == nil)
}

private func augmentation(p: Double = 0.5, q: Double = 0.3, r: Double = 0.1, seed: UInt64 = 7) throws -> MaskAugmentation {
    let segments = [InstrumentSegment(name: "A", first: 0, last: 2), InstrumentSegment(name: "B", first: 3, last: 7),
                    InstrumentSegment(name: "C", first: 8, last: 9)]
    return try MaskAugmentation(binCount: 10, segments: segments, probability: p, segmentProbability: q,
                                randomBinRate: r, seed: seed)
}

@Test func masksAreAFunctionOfSeedEpochAndRowOnly() throws {
    let masks = try augmentation()
    #expect(masks.observed(row: 5, epoch: 2) == masks.observed(row: 5, epoch: 2))
    // Across 200 rows, other epochs and other seeds give other masks (a constant mask would repeat exactly).
    let rows = 0..<200
    let epoch0 = rows.map { masks.observed(row: $0, epoch: 0) }
    #expect(epoch0 != rows.map { masks.observed(row: $0, epoch: 1) })
    #expect(epoch0 != rows.map { try! augmentation(seed: 8).observed(row: $0, epoch: 0) })
    // A batch's masks are its rows' masks, whatever else is in the batch (so worker slices do not matter).
    let batch = TrainingBatch(rows: [17, 3, 99], theta: .zeros([3, 1]), x: .zeros([3, 10]), context: nil, globalCount: 3)
    let tensor = try masks.apply(to: batch, epoch: 4)
    for (k, row) in batch.rows.enumerated() {
        #expect((0..<10).map { tensor[k, $0] == 1 } == masks.observed(row: row, epoch: 4))
    }
}

/// The frequencies of the documented draws over 20,000 rows. Each tolerance is about 4 binomial standard errors
/// (√(0.2·0.8/20000) ≈ 0.003, so 0.012), far below the shift a wrong draw index or comparison makes.
@Test func maskFrequenciesFollowTheDeclaredProbabilities() throws {
    let n = 20_000
    // Segments only (r = 0): a row is masked with p = 0.4 and then loses something unless no segment is dropped
    // (0.7³); each segment goes with q = 0.3, less the share q³/3 that the keep-one rule restores.
    let segments = try augmentation(p: 0.4, q: 0.3, r: 0)
    var masked = 0, segmentDropped = [0, 0, 0]
    for row in 0..<n {
        let mask = segments.observed(row: row, epoch: 3)
        #expect(mask.contains(true), "row \(row) lost every bin")
        if mask.contains(false) { masked += 1 }
        for (k, segment) in segments.segments.enumerated() where segment.bins.allSatisfy({ !mask[$0] }) { segmentDropped[k] += 1 }
        // Segments go whole or not at all.
        #expect(segments.segments.allSatisfy { s in Set(s.bins.map { mask[$0] }).count == 1 })
    }
    #expect(abs(Double(masked) / Double(n) - 0.4 * (1 - 0.343)) < 0.012, "masked share \(Double(masked) / Double(n))")
    for count in segmentDropped {
        #expect(abs(Double(count) / Double(n) - 0.4 * (0.3 - 0.027 / 3)) < 0.012, "segment share \(Double(count) / Double(n))")
    }
    // Random bins only (q = 0, p = 1): the per-row rate is uniform on [0, 0.2], so bins go at a mean rate of 0.1.
    let random = try augmentation(p: 1, q: 0, r: 0.2)
    let dropped = (0..<n).reduce(0) { total, row in total + random.observed(row: row, epoch: 0).filter { !$0 }.count }
    let rate = Double(dropped) / Double(10 * n)
    #expect(abs(rate - 0.1) < 0.005, "random-bin rate \(rate)")
    // With q = 1 every segment is drawn for dropping, and exactly one is kept.
    let all = try augmentation(p: 1, q: 1, r: 0)
    for row in 0..<500 {
        let mask = all.observed(row: row, epoch: 0)
        #expect(all.segments.filter { $0.bins.allSatisfy { mask[$0] } }.count == 1)
    }
}

@Test func invalidAugmentationsAreRefusedWithTheReason() throws {
    #expect(throws: MaskAugmentationError.self) { try augmentation(p: 0) }
    #expect(throws: MaskAugmentationError.self) { try augmentation(q: 1.5) }
    #expect(throws: MaskAugmentationError.self) { try augmentation(q: 0, r: 0) }
    let outside = #expect(throws: MaskAugmentationError.self) {
        try MaskAugmentation(binCount: 4, segments: [InstrumentSegment(name: "X", first: 2, last: 4)], probability: 0.5,
                             segmentProbability: 0.5, randomBinRate: 0, seed: 1)
    }
    #expect(outside?.description == "segment X covers bins 2…4, outside 0…3")
}

@Test func theMaskAugmentationSectionIsReadAndChecked() throws {
    #expect(try TrainingConfiguration(yaml: "").maskAugmentation == nil)
    let defaults = try #require(try TrainingConfiguration(yaml: "mask_augmentation: {}").maskAugmentation)
    #expect(defaults == TrainingConfiguration.Masking() && defaults.segments == .ariel)
    let c = try #require(try TrainingConfiguration(yaml: """
        mask_augmentation:
          probability: 0.7
          segments: [[0, 2], [42, 51]]
          segment_probability: 0.4
          random_bins: 0.05
        """).maskAugmentation)
    #expect(c.probability == 0.7 && c.segmentProbability == 0.4 && c.randomBins == 0.05)
    #expect(c.segments == .bins([InstrumentSegment(name: "bins 0–2", first: 0, last: 2), InstrumentSegment(name: "bins 42–51", first: 42, last: 51)]))
    #expect(try TrainingConfiguration(yaml: "mask_augmentation: none").maskAugmentation == nil)
    #expect(try TrainingConfiguration(yaml: "mask_augmentation: {segments: none}").maskAugmentation?.segments == .noSegments)

    func failure(_ yaml: String) -> String {
        do { _ = try TrainingConfiguration(yaml: yaml, source: "t.yaml"); return "no error" } catch { return "\(error)" }
    }
    #expect(failure("mask_augmentation:\n  probabilty: 0.5\n").hasPrefix("t.yaml:2: key 'mask_augmentation.probabilty': unknown key"))
    #expect(failure("mask_augmentation:\n  probability: 1.5\n") == "t.yaml:2: key 'mask_augmentation.probability': '1.5' is invalid: expected a number in (0, 1]")
    #expect(failure("mask_augmentation:\n  segments: [[5, 2]]\n").hasPrefix("t.yaml:2: key 'mask_augmentation.segments': '[5, 2]' is invalid"))
    #expect(failure("mask_augmentation:\n  segments: instruments\n").contains("expected one of ariel, none"))
    #expect(failure("mask_augmentation: {segments: none, random_bins: 0}\n").contains("masks nothing"))
}

@Test func segmentsAreResolvedAgainstTheDatasetGrid() throws {
    let ariel = try TrainingConfiguration.Masking().resolve(wavelengths: try arielCentres(), seed: 3, path: "d.h5")
    #expect(ariel.binCount == 52 && ariel.segments.map(\.name) == ["VISPhot", "FGS1", "FGS2", "NIRSpec", "AIRS-CH0", "AIRS-CH1"])
    #expect(ariel.seed == 3 && ariel.probability == 0.5 && ariel.segmentProbability == 0.3 && ariel.randomBinRate == 0.1)
    // `ariel` on a non-spectral grid, and explicit segments outside the grid, name the dataset and say why.
    #expect(throws: TrainingSetupError.self) { try TrainingConfiguration.Masking().resolve(wavelengths: [0, 1, 2], seed: 0, path: "d.h5") }
    var explicit = TrainingConfiguration.Masking()
    explicit.segments = .bins([InstrumentSegment(name: "bins 2–6", first: 2, last: 6)])
    let error = #expect(throws: TrainingSetupError.self) { try explicit.resolve(wavelengths: [1, 2, 3, 4], seed: 0, path: "d.h5") }
    #expect(error?.description == "d.h5: mask_augmentation: segment bins 2–6 covers bins 2…6, outside 0…3")
}
