import Foundation
import Testing
@testable import NPEData

/// Readers on several threads (a trainer's prefetch workers) while another thread writes: every
/// HDF5 call goes through one lock, so results must equal the single-threaded ones.
@Suite struct ConcurrencyTests {
    @Test func parallelChunkReadsWhileWriting() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("shared.h5")
        try writeSampleDataset(at: url, rows: 200, chunkRows: 9, batch: 13)
        let reader = try TrainingDatasetReader(contentsOf: url)
        let expected = try (0..<reader.chunkCount).map { try reader.readChunk($0) }

        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var mismatches = 0
            var errors: [String] = []
        }
        let results = Results()
        let otherURL = directory.file("other.h5")
        DispatchQueue.concurrentPerform(iterations: 5) { worker in
            do {
                if worker == 0 {
                    try writeSampleDataset(at: otherURL, rows: 300, chunkRows: 16, batch: 7)
                    return
                }
                // Each worker walks the chunks in its own order.
                for step in 0..<reader.chunkCount {
                    let index = (step * (2 * worker + 1)) % reader.chunkCount
                    let rows = try reader.readChunk(index)
                    if rows != expected[index] {
                        results.lock.lock(); results.mismatches += 1; results.lock.unlock()
                    }
                }
            } catch {
                results.lock.lock(); results.errors.append("\(error)"); results.lock.unlock()
            }
        }
        #expect(results.errors.isEmpty, "\(results.errors)")
        #expect(results.mismatches == 0)
        try TrainingDatasetReader(contentsOf: otherURL).verifyContentDigest()
    }
}
