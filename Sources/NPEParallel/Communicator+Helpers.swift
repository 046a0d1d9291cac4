/// Conveniences over the four collectives, shared by every implementation (so they cannot change the
/// summation order: they reduce through `allReduceSum`).
extension Communicator {
    /// In-place average over workers of `Double` values (metrics such as a mean loss).
    public func allReduceMean(_ values: inout [Double]) throws {
        try allReduceSum(&values)
        let scale = 1 / Double(size)
        for i in values.indices { values[i] *= scale }
    }

    /// The sum over workers of one number per worker (a sample count, a loss sum), returned on every worker.
    public func allReduceSum(_ value: Double) throws -> Double {
        var values = [value]
        try allReduceSum(&values)
        return values[0]
    }

    /// Replaces `values` on every worker with the root's (initial weights, a shared seed).
    ///
    /// Every worker must pass an array of the same length; a mismatch throws ``CommunicatorError`` on every
    /// worker rather than copying a partial array.
    public func broadcast<Element: BitwiseCopyable>(_ values: inout [Element], root: Int) throws {
        try values.withUnsafeMutableBytes { try broadcast($0, root: root) }
    }
}

extension Communicator {
    /// Every worker's `values`, indexed by rank, on every worker (per-rank row counts, timings).
    ///
    /// Built on `allReduceSum`: each worker contributes its values at its own offset and zeros elsewhere. Adding
    /// zeros is exact, so the values arrive unchanged, except that `-0.0` arrives as `+0.0`. Every worker must pass
    /// the same number of values.
    public func allGather(_ values: [Double]) throws -> [[Double]] {
        var gathered = [Double](repeating: 0, count: values.count * size)
        gathered.replaceSubrange(rank * values.count ..< (rank + 1) * values.count, with: values)
        try allReduceSum(&gathered)
        return (0..<size).map { Array(gathered[$0 * values.count ..< ($0 + 1) * values.count]) }
    }

    /// Every worker's integer, indexed by rank. Integers travel as Doubles, exact up to 2^53 in magnitude.
    /// - Throws: ``CommunicatorError`` if `value` is beyond ±2^53 (on this worker; the others then hold a
    ///   collective this worker never joins, so treat it as fatal).
    public func allGather(_ value: Int) throws -> [Int] {
        guard value.magnitude <= 1 << 53 else {
            throw CommunicatorError(operation: "allGather(Int)", reason: "\(value) is not exact as a Double")
        }
        return try allGather([Double(value)]).map { Int($0[0]) }
    }
}
