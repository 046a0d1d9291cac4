import Foundation
import NPEData
import NPETensor
import Testing
@testable import NPETraining
import NPESupport

@Test func theFilterKeepsGaussianDataAndDropsFiniteGarbage() throws {
    // 2,000 Gaussian rows of 3 bins (sd 1, 2, 0.5) and three rows of simulator garbage (finite, absurd).
    let stream = RandomStream(seed: 12)
    var x: [Float] = []
    for r in 0..<2000 { x += [1, 2, 0.5].enumerated().map { j, sd in sd * stream.normal(UInt64(3 * r + j)) } }
    let clean = OutlierFilter(x: x, count: 2000, limit: 20)
    // No Gaussian row is anywhere near 20 sd (the largest of 6,000 draws is about 4 sd).
    #expect((0..<2000).allSatisfy { clean.accepts(x[(3 * $0)..<(3 * $0 + 3)]) })
    let garbage: [[Float]] = [[1e36, 0, 0], [0, -3e5, 0], [0, 0, 11]]
    let filter = OutlierFilter(x: x + garbage.flatMap { $0 }, count: 2003, limit: 20)
    // The garbage barely moves medians and quartiles, so the intervals stay near ±20 sd: 11 is 22 sd in bin 2.
    for row in garbage { #expect(!filter.accepts(row[...]), "\(row)") }
    #expect(filter.accepts([19, -39, 9][...]))
    // A bin with no spread is not filtered on.
    let constant = OutlierFilter(x: [Float](repeating: 3, count: 10), count: 10, limit: 20)
    #expect(constant.accepts([1e30][...]))
}

@Test func theStreamNeverServesRowsTheFilterRejects() throws {
    let data = try EncodedRowDataset(rows: 300)
    // x₀ = row index, so an interval [0, 199.5] rejects rows 200…299.
    let filter = OutlierFilter(lower: [0, -.infinity, -.infinity], upper: [199.5, .infinity, .infinity], limit: 1)
    var served: [Int] = []
    for part in [EpochBatchStream.Part.training, .validation] {
        let stream = try EpochBatchStream(
            reader: data.reader, split: DataSplit(seed: 1, validationFraction: 0.2), part: part, epoch: 0, seed: 1,
            batchSize: 10, bufferChunks: 2, rowFilter: filter)
        while let batch = try stream.next() { served += batch.rows }
    }
    #expect(served.allSatisfy { $0 < 200 })
    #expect(served.count > 150)  // every accepted row but the last partial training batch
}
