import Foundation
import NPEData
import NPETensor
import Testing
@testable import NPETraining

/// A small dataset whose values encode their row: θ = (r, −r), x = (r, r + 0.5, r + 0.25), context = (2r).
/// Chunks of 16 rows, so a 300-row file has 19 chunks and the shuffle buffer spans several of them.
final class EncodedRowDataset {
    let directory: URL
    let reader: TrainingDatasetReader
    let rowCount: Int

    init(rows: Int = 300, failedRows: Set<Int> = []) throws {
        rowCount = rows
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("npetraining-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let metadata = TrainingDatasetMetadata(
            parameterNames: ["a", "b"], parameterUnits: ["", ""], priorJSON: "{}", contextNames: ["c"],
            wavelength: [1, 2, 3], binWidth: [1, 1, 1], simulatorName: "test", simulatorVersion: "1",
            simulatorConfigurationJSON: "{}", noiseModelJSON: "{}", seed: 1)
        let url = directory.appendingPathComponent("dataset.h5")
        let writer = try TrainingDatasetWriter(creatingAt: url, metadata: metadata, storesFlags: true, chunkRows: 16)
        for r in 0..<rows {
            let v = Float(r)
            let failed = failedRows.contains(r)
            try writer.append(theta: [v, -v], x: failed ? [.nan, .nan, .nan] : [v, v + 0.5, v + 0.25], context: [2 * v],
                              flags: [failed ? TrainingDatasetFormat.RowFlags.nonFiniteSimulation.rawValue : 0])
        }
        _ = try writer.commit()
        reader = try TrainingDatasetReader(contentsOf: url)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

private func allBatches(_ stream: EpochBatchStream) throws -> [TrainingBatch] {
    var out: [TrainingBatch] = []
    while let batch = try stream.next() { out.append(batch) }
    return out
}

@Test func splitIsDeterministicAndNearTheFraction() {
    let split = DataSplit(seed: 3, validationFraction: 0.1)
    let held = (0..<20_000).filter { split.isValidation(row: $0) }.count
    // Binomial(20000, 0.1): sd = 42, so ±5 sd is ±212.
    #expect(abs(held - 2000) < 212)
    #expect((0..<100).map(split.isValidation) == (0..<100).map(DataSplit(seed: 3, validationFraction: 0.1).isValidation))
}

@Test func anEpochVisitsEveryTrainingRowOnceAndRowsStayIntact() throws {
    let data = try EncodedRowDataset()
    let split = DataSplit(seed: 5, validationFraction: 0.2)
    let stream = try EpochBatchStream(reader: data.reader, split: split, part: .training, epoch: 0, seed: 9,
                                      batchSize: 32, bufferChunks: 3)
    let batches = try allBatches(stream)
    let seen = batches.flatMap(\.rows)
    let training = (0..<data.rowCount).filter { !split.isValidation(row: $0) }
    #expect(Set(seen).count == seen.count)  // no row twice
    #expect(seen.count == training.count / 32 * 32)  // all full batches, the last partial one dropped
    #expect(Set(seen).isSubset(of: Set(training)))
    for batch in batches {
        #expect(batch.count == 32 && batch.globalCount == 32)
        for (k, r) in batch.rows.enumerated() {  // each row's values travelled together through the shuffle
            #expect(batch.theta[k, 0] == Float(r) && batch.theta[k, 1] == -Float(r))
            #expect(batch.x[k, 2] == Float(r) + 0.25 && batch.context?[k, 0] == 2 * Float(r))
        }
    }
    // The order is shuffled across chunks, not read in sequence.
    #expect(seen != seen.sorted())
    // Memory stays bounded by the buffer: 3 chunks of 16 plus a carried-over partial batch.
    #expect(stream.peakBufferedRows <= 3 * 16 + 32)
}

@Test func validationKeepsEveryHeldOutRowInOrder() throws {
    let data = try EncodedRowDataset()
    let split = DataSplit(seed: 5, validationFraction: 0.2)
    let stream = try EpochBatchStream(reader: data.reader, split: split, part: .validation, epoch: 0, seed: 9, batchSize: 25)
    let seen = try allBatches(stream).flatMap(\.rows)
    #expect(seen == (0..<data.rowCount).filter { split.isValidation(row: $0) })
}

@Test func epochsShuffleDifferentlyAndReproducibly() throws {
    let data = try EncodedRowDataset()
    let split = DataSplit(seed: 5, validationFraction: 0)
    func order(epoch: Int, seed: UInt64) throws -> [Int] {
        try allBatches(EpochBatchStream(reader: data.reader, split: split, part: .training, epoch: epoch, seed: seed,
                                        batchSize: 20)).flatMap(\.rows)
    }
    #expect(try order(epoch: 1, seed: 2) == order(epoch: 1, seed: 2))
    #expect(try order(epoch: 1, seed: 2) != order(epoch: 2, seed: 2))
    #expect(try order(epoch: 1, seed: 2) != order(epoch: 1, seed: 3))
}

@Test("worker slices tile the global batch for any worker count", arguments: [2, 3, 4])
func workerSlicesTileTheGlobalBatch(workers: Int) throws {
    let data = try EncodedRowDataset()
    let split = DataSplit(seed: 1, validationFraction: 0.1)
    let single = try allBatches(EpochBatchStream(reader: data.reader, split: split, part: .training, epoch: 4,
                                                 seed: 8, batchSize: 30))
    let perRank = try (0..<workers).map { rank in
        try allBatches(EpochBatchStream(reader: data.reader, split: split, part: .training, epoch: 4, seed: 8,
                                        batchSize: 30, rank: rank, workerCount: workers))
    }
    for (b, global) in single.enumerated() {
        let tiled = perRank.flatMap { $0[b].rows }
        #expect(tiled == global.rows)
        #expect(perRank.allSatisfy { $0[b].globalCount == 30 })
    }
}

@Test func noiseIsAFunctionOfEpochAndRowOnly() throws {
    let data = try EncodedRowDataset()
    let split = DataSplit(seed: 1, validationFraction: 0)
    let noise = try NoiseAugmentation(sigma: [0.5, 1, 2], scaleRange: 0.5...2, seed: 77)
    let a = try allBatches(EpochBatchStream(reader: data.reader, split: split, part: .training, epoch: 0, seed: 1, batchSize: 40))
    let b = try allBatches(EpochBatchStream(reader: data.reader, split: split, part: .training, epoch: 0, seed: 2, batchSize: 17))
    func noisyByRow(_ batches: [TrainingBatch], epoch: Int) throws -> [Int: [Float]] {
        var out: [Int: [Float]] = [:]
        for batch in batches {
            let (x, _) = try noise.apply(to: batch, epoch: epoch)
            for (k, r) in batch.rows.enumerated() { out[r] = (0..<3).map { x[k, $0] } }
        }
        return out
    }
    let first = try noisyByRow(a, epoch: 3), second = try noisyByRow(b, epoch: 3), other = try noisyByRow(a, epoch: 4)
    for (row, values) in first { if let again = second[row] { #expect(values == again) } }
    #expect(first.keys.contains { first[$0] != other[$0] })
}

@Test func noiseHasTheDeclaredScale() throws {
    // 20,000 rows of zeros: the sample sd of each bin estimates s·σ; with s = 1 the relative standard error of
    // an sd estimate is 1/√(2n) = 0.5%, so 3% is ≥ 6 standard errors.
    let n = 20_000
    let batch = TrainingBatch(rows: Array(0..<n), theta: Tensor.zeros([n, 1]), x: Tensor.zeros([n, 3]), context: nil, globalCount: n)
    let (x, sigma) = try NoiseAugmentation(sigma: [0.5, 1, 2], seed: 1).apply(to: batch, epoch: 0)
    for j in 0..<3 {
        let values = (0..<n).map { Double(x[$0, j]) }
        let sd = (values.reduce(0) { $0 + $1 * $1 } / Double(n)).squareRoot()
        #expect(abs(sd / [0.5, 1, 2][j] - 1) < 0.03)
        #expect(sigma[0, j] == [0.5, 1, 2][j])
    }
    let scaled = try NoiseAugmentation(sigma: [1], scaleRange: 0.5...2, seed: 1)
    let scales = (0..<5000).map { scaled.noise.scale(row: $0, epoch: 0, seed: scaled.seed) }
    #expect(scales.allSatisfy { (0.5...2).contains($0) })
    // log s is uniform on [log 0.5, log 2]: its mean is 0 (sd of the mean 0.4/√5000 = 0.0057).
    #expect(abs(scales.map { Foundation.log(Double($0)) }.reduce(0, +) / 5000) < 0.03)
}

@Test func failedSimulationsAreNeverServed() throws {
    let failed: Set<Int> = [0, 5, 17, 123, 299]
    let data = try EncodedRowDataset(failedRows: failed)
    let split = DataSplit(seed: 5, validationFraction: 0.2)
    for part in [EpochBatchStream.Part.training, .validation] {
        let stream = try EpochBatchStream(reader: data.reader, split: split, part: part, epoch: 0, seed: 9, batchSize: 7)
        let batches = try allBatches(stream)
        #expect(batches.allSatisfy { !$0.x.hasNonFinite })
        #expect(Set(batches.flatMap(\.rows)).isDisjoint(with: failed))
    }
}
