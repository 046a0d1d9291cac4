import Foundation
import NPEParallel
import NPEParallelMPI
import Testing

/// The program each MPI rank runs: this test binary, filtered to ``MPIChildRank/mpiChildRank()``, which is enabled
/// only when the parent test sets `EXONPE_MPI_TEST_CHILD`. The package needs no extra executable, and `mpirun`
/// launches the test binary like any other program.
///
/// The child checks its own results (so its exit status means something) and prints one line per rank that the
/// parent compares with the threads implementation:
/// `MPI-CHILD rank=R size=S float=<digest> double=<digest> broadcast=<digest> mismatch=<ok|…>`.
struct MPIChildRank {
    static let childVariable = "EXONPE_MPI_TEST_CHILD"
    /// Long enough to cross ``MPICommunicator/chunkLength`` once, so the chunked path runs too; odd, so slices are
    /// uneven.
    static let floatCount = MPICommunicator.chunkLength + 1001
    static let doubleCount = 777
    static let broadcastBytes = 100_003

    @Test(.enabled(if: ProcessInfo.processInfo.environment[childVariable] != nil))
    func mpiChildRank() throws {
        let communicator = try MPICommunicator()
        #expect(try MPICommunicator().rank == communicator.rank, "a second instance shares the initialised MPI")
        let rank = communicator.rank, size = communicator.size

        var floats = MPITestData.floats(rank: rank, count: Self.floatCount)
        try communicator.allReduceSum(&floats)
        let inputs = (0..<size).map { MPITestData.floats(rank: $0, count: Self.floatCount) }
        let expectedFloats = MPITestData.rankOrderedSum(inputs)
        let floatDifference = MPITestData.firstDifference(floats.map(\.bitPattern), expectedFloats.map(\.bitPattern))
        #expect(floatDifference == nil)

        var doubles = MPITestData.floats(rank: rank, count: Self.doubleCount).map { Double($0) / 3 }
        try communicator.allReduceSum(&doubles)

        var bytes = [UInt8](repeating: UInt8(rank), count: Self.broadcastBytes)
        let root = size - 1
        if rank == root { bytes = MPITestData.pattern(count: Self.broadcastBytes) }
        try bytes.withUnsafeMutableBytes { try communicator.broadcast($0, root: root) }
        let byteDifference = MPITestData.firstDifference(bytes, MPITestData.pattern(count: Self.broadcastBytes))
        #expect(byteDifference == nil)

        // Ranks passing different lengths: every rank must get the error, none may hang.
        var mismatch = "no error"
        if size > 1 {
            var wrong = [Float](repeating: 1, count: 3 + rank)
            do { try communicator.allReduceSum(&wrong) } catch let error as CommunicatorError {
                mismatch = error.reason.contains("rank 0 passed 3 elements") ? "ok" : error.reason
            }
        } else {
            mismatch = "ok"
        }
        #expect(mismatch == "ok")
        var seed: [UInt64] = [UInt64(rank)]
        #expect(throws: CommunicatorError.self, "a root outside the job") {
            try communicator.broadcast(&seed, root: size)
        }
        try communicator.barrier()

        let line = "MPI-CHILD rank=\(rank) size=\(size) float=\(MPITestData.digest(floats.map(\.bitPattern)))"
            + " double=\(MPITestData.digest(doubles.map(\.bitPattern))) broadcast=\(MPITestData.digest(bytes))"
            + " mismatch=\(mismatch)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
        try communicator.finalize()
        #expect(throws: CommunicatorError.self) { try communicator.barrier() }
        #expect(throws: CommunicatorError.self) { try MPICommunicator() }
    }
}
