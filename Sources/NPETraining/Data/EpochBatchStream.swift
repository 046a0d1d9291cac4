import NPEData
import NPETensor
import NPESupport

/// Streams one epoch of shuffled batches from a training dataset with bounded memory.
///
/// The scheme is LAMPE's `H5Dataset`: chunks are read in a shuffled order (on a background thread, through
/// ``TrainingChunkPrefetcher``), their rows pooled in a buffer of `bufferChunks` chunks, the buffer shuffled, and
/// batches cut from it. Memory holds at most `bufferChunks + prefetch depth + 1` chunks plus one batch, whatever
/// the dataset size.
///
/// Determinism: the chunk order and every buffer shuffle come from a Philox generator keyed by (seed, epoch), so
/// the sequence of global batches depends only on the seed, the epoch, the batch size and the buffer size. A
/// Rows flagged ``NPEData/TrainingDatasetFormat/RowFlags/nonFiniteSimulation`` (failed simulations the builder
/// kept for the record) are never served. A worker of rank r among W takes rows ⌊rB/W⌋ ..< ⌊(r+1)B/W⌋ of each global batch of B rows. Every rank reads the
/// whole stream (decompression is cheap next to training) so that all ranks agree on the global batches without
/// communicating; the results do not depend on W.
public final class EpochBatchStream {
    public enum Part: Sendable { case training, validation }

    public let batchSize: Int
    public let rank: Int
    public let workerCount: Int
    /// Training drops the last incomplete batch, so every step has the same global size; validation keeps it.
    public let dropsLastPartialBatch: Bool
    /// The largest number of rows the shuffle buffer has held (for memory tests and reports).
    public private(set) var peakBufferedRows = 0

    private let reader: TrainingDatasetReader
    private let split: DataSplit
    private let part: Part
    private let bufferChunks: Int
    private let rowFilter: OutlierFilter?
    private var generator: PhiloxGenerator
    private let prefetcher: TrainingChunkPrefetcher
    private var buffer = RowBuffer()
    private var exhausted = false

    /// - Parameters:
    ///   - epoch: selects the shuffle; epoch e of a resumed run equals epoch e of an uninterrupted one.
    ///   - bufferChunks: chunks pooled per shuffle (≥ 1).
    ///   - rowFilter: rows it rejects are never served (like rows flagged as failed simulations).
    public init(reader: TrainingDatasetReader, split: DataSplit, part: Part, epoch: Int, seed: UInt64,
                batchSize: Int, bufferChunks: Int = 8, rank: Int = 0, workerCount: Int = 1,
                rowFilter: OutlierFilter? = nil) throws {
        precondition(batchSize > 0 && bufferChunks > 0 && workerCount > 0 && (0..<workerCount).contains(rank))
        self.reader = reader
        self.split = split
        self.part = part
        self.batchSize = batchSize
        self.bufferChunks = bufferChunks
        self.rowFilter = rowFilter
        self.rank = rank
        self.workerCount = workerCount
        dropsLastPartialBatch = part == .training
        generator = PhiloxGenerator(stream: RandomStream(seed: seed, stream: 0xE90C).child(UInt64(epoch)))
        var order = Array(0..<reader.chunkCount)
        if part == .training { order.shuffle(using: &generator) }
        prefetcher = try TrainingChunkPrefetcher(reader: reader, order: order)
    }

    deinit { prefetcher.cancel() }

    /// This worker's slice of the next global batch, or nil at the end of the epoch.
    public func next() throws -> TrainingBatch? {
        while buffer.count < batchSize && !exhausted {
            try refill()
        }
        if buffer.count == 0 || (buffer.count < batchSize && dropsLastPartialBatch) { return nil }
        let global = min(batchSize, buffer.count)
        let lower = rank * global / workerCount, upper = (rank + 1) * global / workerCount
        let slice = buffer.slice(lower..<upper)
        buffer.consume(global)
        return slice.batch(theta: reader.parameterCount, x: reader.featureCount, context: reader.contextCount,
                           globalCount: global)
    }

    /// Reads up to `bufferChunks` chunks into the buffer and shuffles it.
    private func refill() throws {
        buffer.compact()
        for _ in 0..<bufferChunks {
            guard let chunk = try prefetcher.next() else { exhausted = true; break }
            buffer.append(chunk, keeping: { split.isValidation(row: $0) == (part == .validation) }, accepting: rowFilter?.accepts)
        }
        if part == .training { buffer.shuffle(using: &generator) }
        peakBufferedRows = max(peakBufferedRows, buffer.count)
    }
}

/// Rows pooled for shuffling: each row is (dataset index, θ, x, context) laid out flat. Rows before `start` have
/// been served; they are dropped once per refill (``compact()``), not once per batch, so serving a batch costs
/// only the copy of its own rows.
struct RowBuffer {
    var rows: [Int] = []
    var theta: [Float] = []
    var x: [Float] = []
    var context: [Float] = []
    var widths = (theta: 0, x: 0, context: 0)
    /// The first row not yet served.
    var start = 0

    /// Rows not yet served.
    var count: Int { rows.count - start }

    /// Appends the chunk's rows whose dataset index passes `keep`, that are not flagged as failed, and whose x
    /// passes `accept` (when given).
    mutating func append(_ chunk: TrainingRows, keeping keep: (Int) -> Bool, accepting accept: ((ArraySlice<Float>) -> Bool)? = nil) {
        let n = chunk.count
        guard n > 0 else { return }
        widths = (chunk.theta.count / n, chunk.x.count / n, (chunk.context?.count ?? 0) / n)
        let failed = TrainingDatasetFormat.RowFlags.nonFiniteSimulation.rawValue
        for (k, row) in chunk.rows.enumerated() where keep(row) && (chunk.flags?[k] ?? 0) & failed == 0
            && accept?(chunk.x[(k * widths.x)..<((k + 1) * widths.x)]) != false {
            rows.append(row)
            theta.append(contentsOf: chunk.theta[(k * widths.theta)..<((k + 1) * widths.theta)])
            x.append(contentsOf: chunk.x[(k * widths.x)..<((k + 1) * widths.x)])
            if let c = chunk.context { context.append(contentsOf: c[(k * widths.context)..<((k + 1) * widths.context)]) }
        }
    }

    /// Drops the served rows.
    mutating func compact() {
        guard start > 0 else { return }
        rows.removeFirst(start)
        theta.removeFirst(start * widths.theta)
        x.removeFirst(start * widths.x)
        context.removeFirst(start * widths.context)
        start = 0
    }

    /// Fisher–Yates over the unserved rows.
    mutating func shuffle(using generator: inout PhiloxGenerator) {
        guard count > 1 else { return }
        for i in stride(from: rows.count - 1, to: start, by: -1) {
            let j = start + Int.random(in: 0...(i - start), using: &generator)
            guard i != j else { continue }
            rows.swapAt(i, j)
            swapRow(&theta, widths.theta, i, j)
            swapRow(&x, widths.x, i, j)
            swapRow(&context, widths.context, i, j)
        }
    }

    private func swapRow(_ values: inout [Float], _ width: Int, _ i: Int, _ j: Int) {
        for c in 0..<width { values.swapAt(i * width + c, j * width + c) }
    }

    /// Marks the next `n` rows as served.
    mutating func consume(_ n: Int) { start += n }

    /// A copy of unserved rows `range` (relative to the first unserved row).
    func slice(_ range: Range<Int>) -> RowBuffer {
        let lower = start + range.lowerBound, upper = start + range.upperBound
        var out = RowBuffer(widths: widths)
        out.rows = Array(rows[lower..<upper])
        out.theta = Array(theta[(lower * widths.theta)..<(upper * widths.theta)])
        out.x = Array(x[(lower * widths.x)..<(upper * widths.x)])
        out.context = Array(context[(lower * widths.context)..<(upper * widths.context)])
        return out
    }

    func batch(theta d: Int, x m: Int, context a: Int, globalCount: Int) -> TrainingBatch {
        let n = rows.count
        return TrainingBatch(
            rows: rows,
            theta: try! Tensor(shape: [n, d], scalars: theta),
            x: try! Tensor(shape: [n, m], scalars: x),
            context: a > 0 ? try! Tensor(shape: [n, a], scalars: context) : nil,
            globalCount: globalCount)
    }
}
