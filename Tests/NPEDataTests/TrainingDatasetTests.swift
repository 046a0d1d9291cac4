import Foundation
import NPEChecksum
import Testing
@testable import NPEData

/// A small but complete dataset description: D = 3, M = 5, A = 2.
func sampleMetadata(contextNames: [String] = ["planet_mass", "star_radius"]) -> TrainingDatasetMetadata {
    TrainingDatasetMetadata(
        parameterNames: ["planet_radius", "log_H2O", "T"], parameterUnits: ["R_jup", "", "K"],
        priorJSON: #"{"planet_radius": {"uniform": [0.5, 2.0]}}"#, contextNames: contextNames,
        wavelength: [0.5, 0.7, 1.1, 2.0, 5.0], binWidth: [0.1, 0.1, 0.2, 0.5, 1.0],
        simulatorName: "test-simulator", simulatorVersion: "1.2.3", simulatorConfigurationJSON: #"{"layers": 100}"#,
        noiseModelJSON: #"{"kind": "gaussian", "sigma_ppm": 50}"#, seed: 0xFFFF_FFFF_FFFF_FFF0,
        createdAt: Date(timeIntervalSince1970: 1_800_000_000))
}

/// Rows with recognisable values: theta[i, j] = i + j/10, x[i, m] = i·100 + m, context[i, a] = -i - a.
func sampleRows(_ rows: Range<Int>, metadata: TrainingDatasetMetadata) -> TrainingRows {
    let theta = rows.flatMap { i in (0..<metadata.parameterCount).map { Float(i) + Float($0) / 10 } }
    let x = rows.flatMap { i in (0..<metadata.featureCount).map { Float(i * 100 + $0) } }
    let context = rows.flatMap { i in (0..<metadata.contextCount).map { Float(-i - $0) } }
    return TrainingRows(rows: rows, theta: theta, x: x, context: metadata.contextCount == 0 ? nil : context,
                        flags: rows.map { UInt8($0 % 3 == 0 ? 0 : 2) })
}

@discardableResult
func writeSampleDataset(at url: URL, rows: Int, chunkRows: Int = 8, batch: Int = 5,
                        metadata: TrainingDatasetMetadata = sampleMetadata()) throws -> String {
    let writer = try TrainingDatasetWriter(creatingAt: url, metadata: metadata, storesFlags: true, chunkRows: chunkRows)
    for start in stride(from: 0, to: rows, by: batch) {
        let block = sampleRows(start..<min(start + batch, rows), metadata: metadata)
        try writer.append(theta: block.theta, x: block.x, context: block.context, flags: block.flags)
    }
    return try writer.commit()
}

@Suite struct TrainingDatasetTests {
    @Test func roundTripMetadataRowsAndDigest() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("dataset.h5")
        let digest = try writeSampleDataset(at: url, rows: 21)
        let reader = try TrainingDatasetReader(contentsOf: url)
        #expect(reader.metadata == sampleMetadata())
        #expect(reader.rowCount == 21)
        #expect(reader.hasFlags)
        #expect(reader.contentDigest == digest)
        #expect(reader.chunkRowCount == 8)
        #expect(reader.chunkCount == 3)
        #expect(try reader.readRows(0..<21) == sampleRows(0..<21, metadata: sampleMetadata()))
        #expect(try reader.readChunk(2) == sampleRows(16..<21, metadata: sampleMetadata()))
        try reader.verifyContentDigest()

        // The digest definition, recomputed independently: per row theta, x, context (LE float32), flags byte.
        var hasher = SHA256()
        let all = sampleRows(0..<21, metadata: sampleMetadata())
        for i in 0..<21 {
            var bytes: [UInt8] = []
            for value in all.theta[i * 3..<i * 3 + 3] + all.x[i * 5..<i * 5 + 5] + all.context![i * 2..<i * 2 + 2] {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
            }
            bytes.append(all.flags![i])
            bytes.withUnsafeBytes { hasher.update($0) }
        }
        #expect(hasher.hexFinalize() == digest)
    }

    @Test func digestIsIndependentOfBatchingAndChunking() throws {
        let directory = try TemporaryDirectory()
        let a = try writeSampleDataset(at: directory.file("a.h5"), rows: 30, chunkRows: 7, batch: 1)
        let b = try writeSampleDataset(at: directory.file("b.h5"), rows: 30, chunkRows: 64, batch: 30)
        #expect(a == b)
        let c = try writeSampleDataset(at: directory.file("c.h5"), rows: 29)
        #expect(a != c)
    }

    @Test func datasetWithoutContextOrFlags() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("plain.h5")
        let metadata = sampleMetadata(contextNames: [])
        let writer = try TrainingDatasetWriter(creatingAt: url, metadata: metadata)
        let rows = sampleRows(0..<4, metadata: metadata)
        try writer.append(theta: rows.theta, x: rows.x)
        try writer.commit()
        let reader = try TrainingDatasetReader(contentsOf: url)
        #expect(!reader.hasFlags)
        #expect(reader.contextCount == 0)
        let read = try reader.readChunk(0)
        #expect(read.context == nil && read.flags == nil)
        #expect(read.theta == rows.theta && read.x == rows.x)
        // Default chunking: 2^20 / (4 · 5) rows.
        #expect(reader.chunkRowCount == 52428)
    }

    @Test func writerRejectsBadBatches() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("bad.h5")
        let path = url.standardizedFileURL.path
        let writer = try TrainingDatasetWriter(creatingAt: url, metadata: sampleMetadata(), storesFlags: true)
        var rows = sampleRows(0..<2, metadata: sampleMetadata())
        #expect(throws: TrainingDatasetError.wrongBatchSize(file: path, dataset: "x", expected: 10, found: 9)) {
            try writer.append(theta: rows.theta, x: Array(rows.x.dropLast()), context: rows.context, flags: rows.flags)
        }
        #expect(throws: TrainingDatasetError.wrongBatchSize(file: path, dataset: "context", expected: 4, found: 0)) {
            try writer.append(theta: rows.theta, x: rows.x, context: nil, flags: rows.flags)
        }
        rows.theta[4] = .nan
        #expect(throws: TrainingDatasetError.nonFiniteValue(file: path, dataset: "theta", row: 1, column: 1)) {
            try writer.append(theta: rows.theta, x: rows.x, context: rows.context, flags: rows.flags)
        }
        rows = sampleRows(0..<2, metadata: sampleMetadata())
        rows.x[7] = .infinity
        rows.flags = [0, 0]
        #expect(throws: TrainingDatasetError.nonFiniteValue(file: path, dataset: "x", row: 1, column: 2)) {
            try writer.append(theta: rows.theta, x: rows.x, context: rows.context, flags: rows.flags)
        }
        // Flagged as a failed simulation, the same row is accepted and kept.
        rows.flags = [0, TrainingDatasetFormat.RowFlags.nonFiniteSimulation.rawValue]
        try writer.append(theta: rows.theta, x: rows.x, context: rows.context, flags: rows.flags)
        #expect(writer.rowCount == 2)
        try writer.abandon()
        #expect(try directory.contents().isEmpty)

        var metadata = sampleMetadata()
        metadata.noiseModelJSON = "{not json"
        #expect(throws: TrainingDatasetError.invalidMetadata(file: url.path, attribute: "noise_model",
                                                              reason: "not valid JSON")) {
            _ = try TrainingDatasetWriter(creatingAt: url, metadata: metadata)
        }
    }
}

@Suite struct TrainingChunkPrefetcherTests {
    @Test func deliversChunksInTheGivenOrder() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("p.h5")
        try writeSampleDataset(at: url, rows: 50, chunkRows: 6)
        let reader = try TrainingDatasetReader(contentsOf: url)
        let order = [8, 0, 3, 3, 7, 1, 2, 6, 5, 4]
        let prefetcher = try TrainingChunkPrefetcher(reader: reader, order: order, depth: 2)
        var delivered: [TrainingRows] = []
        while let rows = try prefetcher.next() { delivered.append(rows) }
        #expect(delivered == (try order.map { try reader.readChunk($0) }))
        #expect(try prefetcher.next() == nil)
        #expect(throws: TrainingDatasetError.outOfRange(file: url.standardizedFileURL.path, requested: "chunk 9 of 9",
                                                         rowCount: 50)) {
            _ = try TrainingChunkPrefetcher(reader: reader, order: [0, 9])
        }
    }

    @Test func droppingItEarlyStopsTheBackgroundThread() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("p.h5")
        try writeSampleDataset(at: url, rows: 50, chunkRows: 2)
        let reader = try TrainingDatasetReader(contentsOf: url)
        var prefetcher: TrainingChunkPrefetcher? = try TrainingChunkPrefetcher(reader: reader, order: Array(0..<25), depth: 1)
        #expect(try prefetcher?.next()?.rows == 0..<2)
        prefetcher = nil
        // The reader is still usable, and closing it does not race a stuck producer.
        #expect(try reader.readChunk(24).rows == 48..<50)
        try reader.close()
    }
}
