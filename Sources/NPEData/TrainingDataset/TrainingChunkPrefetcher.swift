import Foundation

/// Reads a training dataset's chunks in a given order on a background thread, keeping at most
/// `depth` chunks ready, so decompression overlaps the trainer's computation.
///
/// The caller chooses the order (for example a seeded permutation of `0..<reader.chunkCount`
/// per epoch), so shuffling stays deterministic and owned by the trainer's random generator.
/// Memory is bounded by `depth + 1` chunks whatever the dataset size.
///
/// ```swift
/// let chunks = try TrainingChunkPrefetcher(reader: reader, order: permutation, depth: 2)
/// while let rows = try chunks.next() { … }
/// ```
public final class TrainingChunkPrefetcher: @unchecked Sendable {
    /// The chunk indices, in delivery order.
    public let order: [Int]
    private let queue: Queue

    /// Starts prefetching.
    /// - Parameters:
    ///   - order: chunk indices to deliver, each in `0..<reader.chunkCount` (repeats allowed).
    ///   - depth: chunks read ahead (at least 1).
    public init(reader: TrainingDatasetReader, order: [Int], depth: Int = 2) throws {
        if let bad = order.first(where: { $0 < 0 || $0 >= reader.chunkCount }) {
            throw TrainingDatasetError.outOfRange(file: reader.url.path, requested: "chunk \(bad) of \(reader.chunkCount)",
                                                  rowCount: reader.rowCount)
        }
        self.order = order
        queue = Queue(depth: max(depth, 1), count: order.count)
        // The thread holds the queue, not the prefetcher, so dropping the prefetcher cancels the thread.
        let queue = self.queue
        let thread = Thread {
            for index in order {
                guard queue.waitForRoom() else { return }
                queue.push(Result { try reader.readChunk(index) })
            }
        }
        thread.name = "NPEData.prefetch"
        thread.start()
    }

    /// The next chunk's rows, nil after the last; rethrows a read error at the chunk it happened.
    public func next() throws -> TrainingRows? {
        try queue.pop()?.get()
    }

    /// Stops the background reads; ``next()`` then returns nil. Also done on deinit.
    public func cancel() { queue.cancel() }

    deinit { queue.cancel() }

    /// A bounded hand-over between the reading thread and the consumer.
    private final class Queue: @unchecked Sendable {
        private let condition = NSCondition()
        private let depth: Int
        private let count: Int
        private var ready: [Result<TrainingRows, Error>] = []
        private var delivered = 0
        private var cancelled = false

        init(depth: Int, count: Int) {
            self.depth = depth
            self.count = count
        }

        /// Blocks while `depth` chunks are waiting; false once cancelled.
        func waitForRoom() -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while ready.count >= depth && !cancelled { condition.wait() }
            return !cancelled
        }

        func push(_ result: Result<TrainingRows, Error>) {
            condition.lock()
            ready.append(result)
            condition.broadcast()
            condition.unlock()
        }

        func pop() -> Result<TrainingRows, Error>? {
            condition.lock()
            defer { condition.unlock() }
            guard delivered < count, !cancelled else { return nil }
            while ready.isEmpty { condition.wait() }
            delivered += 1
            condition.broadcast()
            return ready.removeFirst()
        }

        func cancel() {
            condition.lock()
            cancelled = true
            ready.removeAll()
            condition.broadcast()
            condition.unlock()
        }
    }
}
