import Foundation
import NPEData
import NPETraining

extension ASPAEncoding {
    /// An encoding whose depth range covers every training-split spectrum of `reader` (the split
    /// `DataSplit(seed:validationFraction:)` gives), with `marginDex` decades to spare on each side. One streaming
    /// pass over the dataset, bounded memory.
    /// - Throws: ``ExoGANError`` for a grid other than 52 bins, a non-positive depth (naming the dataset row and
    ///   bin), or bad prior bounds.
    /// - Parameter rowFilter: rows it rejects (outliers the trainer skips) do not set the range either.
    public static func fitted(reader: TrainingDatasetReader, split: DataSplit, parameterLow: [Double], parameterHigh: [Double],
                              marginDex: Double = 0.5, rowFilter: OutlierFilter? = nil) throws -> ASPAEncoding {
        guard reader.featureCount == ASPALayout.binCount else {
            throw ExoGANError.spectrumLength(expected: ASPALayout.binCount, got: reader.featureCount)
        }
        var low = Double.infinity, high = -Double.infinity
        let bins = ASPALayout.binCount
        for chunk in 0..<reader.chunkCount {
            let rows = try reader.readChunk(chunk)
            for (offset, row) in rows.rows.enumerated() where !split.isValidation(row: row) {
                // Failed simulations are never trained on, so they do not set the range either.
                if let flags = rows.flags, TrainingDatasetFormat.RowFlags(rawValue: flags[offset]).contains(.nonFiniteSimulation) {
                    continue
                }
                if let rowFilter, !rowFilter.accepts(rows.x[(offset * bins)..<((offset + 1) * bins)]) { continue }
                for bin in 0..<bins {
                    let value = rows.x[offset * bins + bin]
                    guard value > 0, value.isFinite else { throw ExoGANError.invalidDepth(row: row, bin: bin, value: value) }
                    let logValue = log10(Double(value))
                    low = min(low, logValue)
                    high = max(high, logValue)
                }
            }
        }
        guard low <= high else { throw ExoGANError.invalidOption(name: "dataset", reason: "the training split has no rows") }
        return try ASPAEncoding(parameterLow: parameterLow, parameterHigh: parameterHigh,
                                logDepthRange: (low - marginDex)...(high + marginDex))
    }
}
