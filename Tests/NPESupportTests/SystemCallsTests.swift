import Foundation
@testable import NPESupport
import Testing

@Suite("SystemCalls and AtomicFile: the one POSIX wrapper")
struct SystemCallsTests {
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("npesupport-\(UUID().uuidString)").path
        try SystemCalls.makeDirectory(path)
        return path
    }

    @Test("writeNewFile never replaces, readFile never follows a link, and failures name the call and path")
    func noReplaceNoFollow() throws {
        let directory = try Self.scratch()
        defer { try? SystemCalls.removeTree(directory) }
        let file = directory + "/a"
        try SystemCalls.writeNewFile(file, contents: Data("one".utf8))
        #expect(try SystemCalls.readFile(file) == Data("one".utf8))
        #expect(throws: SystemCallError(function: "open", path: file, errno: EEXIST)) {
            try SystemCalls.writeNewFile(file, contents: Data("two".utf8))
        }
        try FileManager.default.createSymbolicLink(atPath: directory + "/link", withDestinationPath: file)
        #expect(throws: SystemCallError(function: "open", path: directory + "/link", errno: ELOOP)) {
            try SystemCalls.readFile(directory + "/link")
        }
        #expect(try SystemCalls.kind(of: directory + "/link") == .symbolicLink)
        #expect(try SystemCalls.kind(of: directory + "/missing") == .missing)
        #expect(SystemCalls.linkDestination(directory + "/link") == file)
    }

    @Test("linkIfAbsent is create-if-absent; removeTree removes read-only trees without following links")
    func linkAndRemove() throws {
        let directory = try Self.scratch()
        let outside = try Self.scratch()
        defer { try? SystemCalls.removeTree(outside) }
        try SystemCalls.writeNewFile(outside + "/keep", contents: Data())
        try SystemCalls.writeNewFile(directory + "/a", contents: Data("a".utf8))
        #expect(try SystemCalls.linkIfAbsent(directory + "/a", to: directory + "/b"))
        #expect(try !SystemCalls.linkIfAbsent(directory + "/a", to: directory + "/b"))
        try FileManager.default.createSymbolicLink(atPath: directory + "/out", withDestinationPath: outside)
        try SystemCalls.makeDirectory(directory + "/sealed")
        try SystemCalls.writeNewFile(directory + "/sealed/x", contents: Data())
        try SystemCalls.setMode(directory + "/sealed", 0o555)
        try SystemCalls.removeTree(directory)
        #expect(try SystemCalls.kind(of: directory) == .missing)
        #expect(SystemCalls.fileExists(at: outside + "/keep"), "removeTree followed a link")
    }

    @Test("AtomicFile replaces whole files and leaves no temporary behind; a failure names the final path")
    func atomicReplace() throws {
        let directory = try Self.scratch()
        defer { try? SystemCalls.removeTree(directory) }
        let url = URL(fileURLWithPath: directory + "/report.json")
        try AtomicFile.write(Data("old".utf8), to: url)
        try AtomicFile.write(Data("new".utf8), to: url)
        #expect(try Data(contentsOf: url) == Data("new".utf8))
        #expect(try SystemCalls.entries(of: directory) == ["report.json"])
        let missing = URL(fileURLWithPath: directory + "/no/such/file")
        #expect(throws: AtomicWriteError.self) { try AtomicFile.write(Data(), to: missing) }
        do {
            try AtomicFile.write(Data(), to: missing)
        } catch let error as AtomicWriteError {
            #expect(error.path == missing.path && error.call == "open")
        }
    }

    @Test("FileLock excludes a second holder in the same process until released")
    func lock() throws {
        let directory = try Self.scratch()
        defer { try? SystemCalls.removeTree(directory) }
        let path = directory + "/lock"
        let first = try FileLock(path: path)
        #expect(try FileLock.tryLocking(path: path) == nil)
        first.unlock()
        #expect(try FileLock.tryLocking(path: path) != nil)
        #expect(try FileLock.tryLocking(path: directory + "/absent") == nil)
    }
}
