import Foundation
@testable import NPERegistry
import Testing
import NPESafetensors

/// Concurrent publishers (threads and real processes), and crashes in the middle of a publish.
///
/// Real processes come from re-running this test binary with a filter that selects ``childPublisher()``: that test
/// is enabled only when the parent sets `EXONPE_REGISTRY_TEST_CHILD_ROOT`, so the package needs no extra executable.
struct ConcurrentPublishTests {
    static let childRootVariable = "EXONPE_REGISTRY_TEST_CHILD_ROOT"
    static let childIndexVariable = "EXONPE_REGISTRY_TEST_CHILD_INDEX"
    static let childCountVariable = "EXONPE_REGISTRY_TEST_CHILD_COUNT"
    static let childLargeVariable = "EXONPE_REGISTRY_TEST_CHILD_LARGE"

    /// The weights for publish number `iteration` of publisher `index`; the card's seed records the same number,
    /// so any version can be checked against the publisher that wrote it.
    static func content(index: Int, iteration: Int, large: Bool) throws -> (ModelCard, NamedTensors) {
        let seed = index * 1000 + iteration
        var weights = try Fixtures.weights(seed: UInt32(seed))
        if large {
            // 1 MiB of weights keeps each publish busy writing and fsyncing long enough for a kill to land inside it.
            weights["large"] = try TensorBlob(shape: [1 << 18], floats: (0..<(1 << 18)).map { Float($0 % 977) + Float(seed) })
        }
        return (Fixtures.card(seed: UInt64(seed)), weights)
    }

    /// Checks that a version holds exactly what its publisher wrote.
    static func expectConsistent(_ model: LoadedModel, large: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let seed = Int(model.card.training.seed)
        let (_, expected) = try content(index: seed / 1000, iteration: seed % 1000, large: large)
        #expect(Fixtures.bits(model.weights) == Fixtures.bits(expected), "\(model.id)", sourceLocation: sourceLocation)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[childRootVariable] != nil))
    func childPublisher() throws {
        let environment = ProcessInfo.processInfo.environment
        let registry = ModelRegistry(root: URL(fileURLWithPath: environment[Self.childRootVariable]!))
        let index = Int(environment[Self.childIndexVariable] ?? "") ?? 0
        let large = environment[Self.childLargeVariable] != nil
        for iteration in 0..<(Int(environment[Self.childCountVariable] ?? "") ?? 1) {
            let (card, weights) = try Self.content(index: index, iteration: iteration, large: large)
            try registry.publish(name: "shared", card: card, weights: weights)
        }
    }

    /// Starts this test binary running only ``childPublisher()``.
    static func spawnChild(root: URL, index: Int, count: Int, large: Bool, log: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["--testing-library", "swift-testing", "--filter", "childPublisher"]
        var environment = ProcessInfo.processInfo.environment
        environment[childRootVariable] = root.path
        environment[childIndexVariable] = String(index)
        environment[childCountVariable] = String(count)
        if large { environment[childLargeVariable] = "1" }
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    @Test func eightThreadsGetDistinctVersions() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let failures = LockedList()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let registry = ModelRegistry(root: root)  // separate instances: only the file lock coordinates them
            do {
                for iteration in 0..<3 {
                    let (card, weights) = try Self.content(index: index, iteration: iteration, large: false)
                    try registry.publish(name: "shared", card: card, weights: weights)
                }
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.items.isEmpty, "\(failures.items)")
        let registry = ModelRegistry(root: root)
        #expect(try registry.versions(of: "shared") == Array(1...24))
        var seeds = Set<UInt64>()
        for version in 1...24 {
            let model = try registry.load("shared@\(version)")
            try Self.expectConsistent(model, large: false)
            seeds.insert(model.card.training.seed)
        }
        #expect(seeds.count == 24, "every publish landed exactly once")
    }

    @Test func eightProcessesGetDistinctVersions() throws {
        let root = try Fixtures.temporaryDirectory()
        let logs = try Fixtures.temporaryDirectory("logs")
        defer { Fixtures.cleanUp(root); Fixtures.cleanUp(logs) }
        let children = try (0..<8).map { index in
            try Self.spawnChild(root: root, index: index, count: 3, large: false, log: logs.appendingPathComponent("\(index).log"))
        }
        for (index, child) in children.enumerated() {
            child.waitUntilExit()
            let log = (try? String(contentsOf: logs.appendingPathComponent("\(index).log"), encoding: .utf8)) ?? ""
            #expect(child.terminationStatus == 0, "child \(index): \(log.suffix(2000))")
            #expect(log.contains("childPublisher() passed"), "the child ran the publisher, not an empty filter")
        }
        let registry = ModelRegistry(root: root)
        #expect(try registry.versions(of: "shared") == Array(1...24))
        let seeds = try (1...24).map { version -> UInt64 in
            let model = try registry.load("shared@\(version)")
            try Self.expectConsistent(model, large: false)
            #expect(try registry.verify(model.id).isIntact)
            return model.card.training.seed
        }
        #expect(Set(seeds).count == 24)
    }

    /// `kill -9` at arbitrary moments of a publishing loop: every visible version is whole, and gc clears the rest.
    @Test func killedPublisherLeavesNoPartialVersion() throws {
        let root = try Fixtures.temporaryDirectory()
        let logs = try Fixtures.temporaryDirectory("logs")
        defer { Fixtures.cleanUp(root); Fixtures.cleanUp(logs) }
        let registry = ModelRegistry(root: root)
        for round in 0..<4 {
            let child = try Self.spawnChild(root: root, index: round, count: 1000, large: true, log: logs.appendingPathComponent("\(round).log"))
            let start = (try? registry.versions(of: "shared").count) ?? 0
            // Wait until the child is publishing, then let it run a little more (a different offset each round).
            let deadline = Date().addingTimeInterval(60)
            while ((try? registry.versions(of: "shared").count) ?? 0) <= start && Date() < deadline { usleep(2000) }
            usleep(UInt32(3000 + 7000 * round))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path + "/shared").filter { $0.hasPrefix(".tmp-") }.count
        for version in try registry.versions(of: "shared") {
            let model = try registry.load("shared@\(version)")
            try Self.expectConsistent(model, large: true)
        }
        print("killed publishers left \(leftovers) temporary entries; \(try registry.versions(of: "shared").count) whole versions")
        let report = try registry.collectGarbage()
        #expect(report.removed.count == leftovers && report.inProgress.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path + "/shared").allSatisfy { !$0.hasPrefix(".tmp-") })
        #expect(try registry.verifyModel("shared").allSatisfy(\.isIntact))
    }

    /// A deterministic crash: a publish directory whose owner died (marker unlocked) is collected; one whose owner
    /// is alive (marker locked) is not; neither is ever visible as a version.
    @Test func garbageCollectionRemovesOnlyDeadPublishes() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights())
        let dead = try registry.makePublishDirectory("m")
        try FileSystem.writeNewFile(dead.path + "/weights.safetensors", contents: Data(repeating: 7, count: 100))
        dead.marker.unlock()
        let live = try registry.makePublishDirectory("m")
        defer { live.marker.unlock() }
        let evaluationLeftover = registry.directory(of: try ModelVersionID(name: "m", version: 1)).path + "/evaluations/.tmp-crashed"
        try FileSystem.writeNewFile(evaluationLeftover, contents: Data("{".utf8))

        #expect(try registry.versions(of: "m") == [1])
        #expect(try registry.resolve("m").version == 1)
        let report = try registry.collectGarbage()
        #expect(report.removed == [dead.path, evaluationLeftover])
        #expect(try registry.evaluations(of: ModelVersionID(name: "m", version: 1)).isEmpty)
        #expect(report.inProgress == [live.path])
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
        #expect(try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights()).version == 2)
    }
}

/// A thread-safe list for collecting failures from concurrent work.
final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ item: String) { lock.withLock { storage.append(item) } }
    var items: [String] { lock.withLock { storage } }
}
