import Foundation
import NPEParallel
import Testing

/// Collectives of the threads implementation: results, bit-for-bit determinism, agreement checks.
struct ThreadCommunicatorTests {
    /// Runs an all-reduce of `ReductionData.floats` on `size` threads and returns every rank's result.
    static func reduceFloats(size: Int, count: Int) throws -> [[Float]] {
        try ThreadCommunicatorGroup(size: size).run { communicator in
            var values = ReductionData.floats(rank: communicator.rank, count: count)
            try communicator.allReduceSum(&values)
            return values
        }
    }

    // Sizes cover one rank, uneven slices (3, 7 ranks), and counts shorter than the rank count (empty slices).
    @Test(arguments: [(1, 1000), (2, 1001), (3, 1000), (4, 4099), (7, 5), (4, 0), (3, 1)])
    func allReduceEqualsTheRankOrderedSumBitForBit(size: Int, count: Int) throws {
        let results = try Self.reduceFloats(size: size, count: count)
        let expected = ReductionData.rankOrderedSum((0..<size).map { ReductionData.floats(rank: $0, count: count) })
        for (rank, result) in results.enumerated() {
            let difference = ReductionData.firstDifference(result.map(\.bitPattern), expected.map(\.bitPattern))
            #expect(difference == nil, "rank \(rank)")
        }
    }

    @Test func doubleAllReduceEqualsTheRankOrderedSumBitForBit() throws {
        let size = 3, count = 2500
        let results = try ThreadCommunicatorGroup(size: size).run { communicator in
            var values = ReductionData.doubles(rank: communicator.rank, count: count)
            try communicator.allReduceSum(&values)
            return values
        }
        let expected = ReductionData.rankOrderedSum((0..<size).map { ReductionData.doubles(rank: $0, count: count) })
        for result in results {
            #expect(ReductionData.firstDifference(result.map(\.bitPattern), expected.map(\.bitPattern)) == nil)
        }
    }

    /// Many repetitions on one group, with threads racing differently each time, give the same bits; the data is
    /// checked to be order-sensitive, so a timing-dependent order would show.
    @Test func repeatedReductionsAreBitIdentical() throws {
        let size = 4, count = 3000
        let inputs = (0..<size).map { ReductionData.floats(rank: $0, count: count) }
        let forward = ReductionData.rankOrderedSum(inputs).map(\.bitPattern)
        let backward = ReductionData.rankOrderedSum(inputs.reversed()).map(\.bitPattern)
        #expect(forward != backward, "the data must make the summation order visible")

        let group = try ThreadCommunicatorGroup(size: size)
        let mismatches = try group.run { communicator -> Int in
            var mismatches = 0
            for _ in 0..<300 {
                var values = inputs[communicator.rank]
                try communicator.allReduceSum(&values)
                if values.map(\.bitPattern) != forward { mismatches += 1 }
            }
            return mismatches
        }
        #expect(mismatches == [0, 0, 0, 0])
    }

    @Test func allReduceMeanDividesBySize() throws {
        let results = try ThreadCommunicatorGroup(size: 4).run { communicator in
            var values: [Float] = [Float(communicator.rank), 1]
            try communicator.allReduceMean(&values)
            return values
        }
        // (0 + 1 + 2 + 3) / 4 and 4 / 4 are exact in Float.
        #expect(results.allSatisfy { $0 == [1.5, 1] })
    }

    @Test(arguments: [0, 1, 2])
    func broadcastCopiesTheRootsBytes(root: Int) throws {
        let results = try ThreadCommunicatorGroup(size: 3).run { communicator in
            var bytes = [UInt8](repeating: UInt8(communicator.rank), count: 1000)
            if communicator.rank == root { for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i * 31) } }
            try bytes.withUnsafeMutableBytes { try communicator.broadcast($0, root: root) }
            return bytes
        }
        let expected = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 31) }
        for result in results { #expect(ReductionData.firstDifference(result, expected) == nil) }
    }

    /// Each rank bumps a shared counter before every barrier; after barrier k nobody may see fewer than
    /// (k + 1) · size bumps, which fails if any rank got through before all had arrived.
    @Test func barrierHoldsEveryRankUntilAllArrive() throws {
        let size = 4, rounds = 200
        let counter = Counter()
        let violations = try ThreadCommunicatorGroup(size: size).run { communicator -> Int in
            var violations = 0
            for round in 0..<rounds {
                counter.increment()
                try communicator.barrier()
                if counter.value < (round + 1) * size { violations += 1 }
            }
            return violations
        }
        #expect(violations == [0, 0, 0, 0])
        #expect(counter.value == size * rounds)
    }

    /// Ranks that pass different lengths all get the same error, and the group stays usable afterwards.
    @Test func mismatchedLengthsFailOnEveryRankAndTheGroupRecovers() throws {
        let outcomes = try ThreadCommunicatorGroup(size: 3).run { communicator -> (String, [Float]) in
            var wrong = [Float](repeating: 1, count: 10 + communicator.rank)
            var message = "no error"
            do { try communicator.allReduceSum(&wrong) } catch let error as CommunicatorError { message = error.reason }
            var right: [Float] = [1, 2]
            try communicator.allReduceSum(&right)
            return (message, right)
        }
        for (message, values) in outcomes {
            #expect(message.contains("rank 0 passed 40 bytes"), "\(message)")
            #expect(values == [3, 6])
        }
    }

    @Test func broadcastRejectsARootOutsideTheGroup() throws {
        let messages = try ThreadCommunicatorGroup(size: 2).run { communicator -> String in
            var byte: UInt8 = 0
            do {
                try withUnsafeMutableBytes(of: &byte) { try communicator.broadcast($0, root: 5) }
            } catch let error as CommunicatorError {
                return error.description
            }
            return "no error"
        }
        #expect(messages.allSatisfy { $0.contains("root 5 outside 0..<2") }, "\(messages)")
    }

    @Test func sizeMustBePositive() {
        #expect(throws: CommunicatorError.self) { try ThreadCommunicatorGroup(size: 0) }
    }

    @Test func localCommunicatorIsTheIdentity() throws {
        let local = LocalCommunicator()
        var values: [Float] = [1.5, -2]
        try local.allReduceSum(&values)
        try local.barrier()
        #expect(values == [1.5, -2] && local.size == 1 && local.isRoot)
    }
}

/// A lock-protected counter shared by the worker threads of a test.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

/// The `Communicator` extension helpers on the threads implementation.
struct CommunicatorHelperTests {
    @Test func scalarSumMeanAndTypedBroadcast() throws {
        let results = try ThreadCommunicatorGroup(size: 4).run { communicator -> (Double, [Double], [UInt64]) in
            let total = try communicator.allReduceSum(Double(communicator.rank + 1))
            var means: [Double] = [Double(communicator.rank), 2]
            try communicator.allReduceMean(&means)
            var seeds: [UInt64] = communicator.rank == 3 ? [42, .max] : [0, 0]
            try communicator.broadcast(&seeds, root: 3)
            return (total, means, seeds)
        }
        for (total, means, seeds) in results {
            // Small integers and their quarter are exact in Double.
            #expect(total == 10 && means == [1.5, 2] && seeds == [42, .max])
        }
    }

    @Test func allGatherReturnsEveryRanksValuesInRankOrder() throws {
        let results = try ThreadCommunicatorGroup(size: 3).run { communicator -> ([Int], [[Double]]) in
            let counts = try communicator.allGather(1000 * communicator.rank - 7)
            let values = try communicator.allGather([Double(communicator.rank) + 0.1, -.pi, .greatestFiniteMagnitude])
            return (counts, values)
        }
        for (counts, values) in results {
            #expect(counts == [-7, 993, 1993])
            // Each value is added to zeros only, so it arrives bit for bit.
            #expect(values == (0..<3).map { [Double($0) + 0.1, -.pi, .greatestFiniteMagnitude] })
        }
    }
}
