import NPEData

extension TrainingSession {
    /// x `[count, M]` (row-major) of the first `limit` usable training rows in dataset order: not in the
    /// validation split, not flagged as failed simulations. The sample the flow standardises on, so the other
    /// kinds (ExoGAN, FlexARE) fit their outlier filter and scaling on the same rows. Read a chunk at a time.
    public static func firstTrainingSpectra(reader: TrainingDatasetReader, split: DataSplit,
                                            limit: Int = standardizationRows) throws -> (x: [Float], count: Int) {
        let m = reader.featureCount
        let failed = TrainingDatasetFormat.RowFlags.nonFiniteSimulation.rawValue
        var x: [Float] = [], count = 0
        chunks: for chunk in 0..<reader.chunkCount {
            let read = try reader.readChunk(chunk)
            for (k, row) in read.rows.enumerated() where !split.isValidation(row: row) && (read.flags?[k] ?? 0) & failed == 0 {
                x += read.x[(k * m)..<((k + 1) * m)]
                count += 1
                if count == limit { break chunks }
            }
        }
        return (x, count)
    }
}
