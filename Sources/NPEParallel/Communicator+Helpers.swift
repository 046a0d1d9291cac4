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
