/// The one definition of how contributions from several workers are added.
///
/// Floating-point addition is not associative, so a sum over workers is only reproducible if its order is fixed.
/// Every ``Communicator`` implementation reduces through this type, so the threads implementation and the MPI
/// implementation produce the same bits for the same inputs:
///
///     output[i] = ((contribution[0][i] + contribution[1][i]) + contribution[2][i]) + …
///
/// in rank order, whatever the timing or the message schedule.
public enum RankOrderedSum {
    /// Writes the rank-ordered elementwise sum of `contributions` (one pointer per rank, rank 0 first, each to
    /// `count` elements) into `output`. `output` may alias any contribution.
    public static func sum(
        of contributions: [UnsafePointer<Float>], count: Int, into output: UnsafeMutablePointer<Float>
    ) {
        accumulate(contributions, count: count, into: output)
    }

    /// Double version of ``sum(of:count:into:)-(_,_,UnsafeMutablePointer<Float>)``.
    public static func sum(
        of contributions: [UnsafePointer<Double>], count: Int, into output: UnsafeMutablePointer<Double>
    ) {
        accumulate(contributions, count: count, into: output)
    }

    /// Elements per block: the running sum of a block stays in L1 while each further rank is added, and `output`
    /// is written only once the block is complete, which is what makes aliasing a contribution safe.
    static let blockLength = 1024

    static func accumulate<T: FloatingPoint>(
        _ contributions: [UnsafePointer<T>], count: Int, into output: UnsafeMutablePointer<T>
    ) {
        guard let first = contributions.first, count > 0 else { return }
        let block = UnsafeMutablePointer<T>.allocate(capacity: Swift.min(blockLength, count))
        defer { block.deallocate() }
        var start = 0
        while start < count {
            let length = Swift.min(blockLength, count - start)
            block.update(from: first + start, count: length)
            for contribution in contributions.dropFirst() {
                let source = contribution + start
                for i in 0..<length { block[i] += source[i] }
            }
            (output + start).update(from: block, count: length)
            start += length
        }
    }
}
