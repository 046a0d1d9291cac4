import Foundation
import NPEParallel
import Testing

/// Real MPI jobs: the test binary re-run as ``MPIChildRank`` rank programs, alone (a singleton, no `mpirun`) and
/// under `mpirun --oversubscribe -np N`. The parent never initialises MPI itself, so this test process stays free
/// of MPI state (MPI cannot be initialised twice, and its singleton mode writes PMIx variables into the
/// environment of the process).
struct MPILaunchTests {
    struct ChildLine: Equatable {
        var rank = -1, size = -1
        var float = "", double = "", broadcast = "", mismatch = ""
    }

    /// What every rank must print for a job of `size` ranks: digests of the same data reduced by the threads
    /// implementation, which is checked bit for bit against an independent rank-order sum in NPEParallelTests.
    static func expectedLine(rank: Int, size: Int) throws -> ChildLine {
        let floats = try ThreadCommunicatorGroup(size: size).run { communicator in
            var values = MPITestData.floats(rank: communicator.rank, count: MPIChildRank.floatCount)
            try communicator.allReduceSum(&values)
            return values
        }[0]
        let doubles = try ThreadCommunicatorGroup(size: size).run { communicator in
            var values = MPITestData.floats(rank: communicator.rank, count: MPIChildRank.doubleCount)
                .map { Double($0) / 3 }
            try communicator.allReduceSum(&values)
            return values
        }[0]
        return ChildLine(
            rank: rank, size: size,
            float: MPITestData.digest(floats.map(\.bitPattern)), double: MPITestData.digest(doubles.map(\.bitPattern)),
            broadcast: MPITestData.digest(MPITestData.pattern(count: MPIChildRank.broadcastBytes)), mismatch: "ok")
    }

    /// The child test's environment: ours without any MPI launcher variables (so a child started without `mpirun`
    /// really is a singleton), plus the switch that enables the child test.
    static func childEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { name, _ in
            !(name.hasPrefix("OMPI_") || name.hasPrefix("PMIX_") || name.hasPrefix("PMI_"))
        }
        environment[MPIChildRank.childVariable] = "1"
        return environment
    }

    /// The test binary's own arguments that run only the child test.
    static let childArguments = ["--testing-library", "swift-testing", "--filter", "mpiChildRank"]

    @Test func singletonWithoutMPIRunIsOneRank() throws {
        let output = try Self.launch(executable: CommandLine.arguments[0], arguments: Self.childArguments,
                                     environment: Self.childEnvironment())
        try Self.expectLines(in: output, size: 1)
    }

    /// `mpirun` as root in a container: the two OMPI_ALLOW_RUN_AS_ROOT variables permit root; `--oversubscribe`
    /// allows more ranks than cores; `--bind-to none` keeps ranks from being pinned to one shared core; the
    /// `self,vader` transports (loopback and shared memory) avoid probing network interfaces; the vader single-copy
    /// mechanism is off because CMA (`process_vm_readv`) is often forbidden in containers; and `--timeout` makes
    /// mpirun itself end a stuck job, because a `Process` started from a test thread inherits that thread's
    /// blocked SIGTERM, which mpirun then never sees (observed here), so `terminate()` cannot stop it.
    @Test(arguments: [2, 3])
    func ranksUnderMPIRunReduceLikeTheThreadsImplementation(size: Int) throws {
        var environment = Self.childEnvironment()
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
        let mpirun = try #require(
            Self.findExecutable("mpirun"), "mpirun not on PATH (scripts/install-deps installs openmpi-bin)")
        let arguments = ["--oversubscribe", "--bind-to", "none", "--mca", "btl", "self,vader", "--timeout", "30",
                         "-np", String(size), "-x", MPIChildRank.childVariable, CommandLine.arguments[0]]
            + Self.childArguments
        let output = try Self.launch(executable: mpirun, arguments: arguments, environment: environment)
        try Self.expectLines(in: output, size: size)
    }

    static func expectLines(in output: String, size: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let lines = output.split(separator: "\n").filter { $0.hasPrefix("MPI-CHILD ") }.map { parse(String($0)) }
        #expect(lines.count == size, "one line per rank:\n\(output.suffix(3000))", sourceLocation: sourceLocation)
        for rank in 0..<size {
            let expected = try expectedLine(rank: rank, size: size)
            let line = lines.first { $0.rank == rank }
            #expect(line == expected, "\(output.suffix(3000))", sourceLocation: sourceLocation)
        }
        #expect(output.contains("mpiChildRank() passed"), "the child ran its test and it passed",
                sourceLocation: sourceLocation)
    }

    static func parse(_ line: String) -> ChildLine {
        var fields: [String: String] = [:]
        for part in line.split(separator: " ").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        return ChildLine(
            rank: Int(fields["rank"] ?? "") ?? -1, size: Int(fields["size"] ?? "") ?? -1,
            float: fields["float"] ?? "", double: fields["double"] ?? "",
            broadcast: fields["broadcast"] ?? "", mismatch: fields["mismatch"] ?? "")
    }

    /// Runs a program to completion (killing it after `timeLimit` seconds) and returns its stdout and stderr.
    static func launch(
        executable: String, arguments: [String], environment: [String: String], timeLimit: Double = 60
    ) throws -> String {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("npe-mpi-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        if exited.wait(timeout: .now() + timeLimit) == .timedOut {
            process.terminate()
            if exited.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)  // SIGTERM may be blocked (see above)
                exited.wait()
            }
            Issue.record("\(executable) still running after \(timeLimit) s; killed")
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "exit status \(process.terminationStatus):\n\(output.suffix(3000))")
        return output
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let candidates = path.split(separator: ":").map { "\($0)/\(name)" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
