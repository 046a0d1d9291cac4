import Foundation
import NPEData
import NPETestSupport
import Testing
import NPESupport

@Suite("AtomicFile: crash-safe small-file publishing")
struct AtomicFileTests {
    @Test("writes, replaces whole, and leaves no temporary behind")
    func writeAndReplace() throws {
        let directory = try makeTemporaryDirectory("atomic")
        let url = directory.appendingPathComponent("manifest.json")
        try AtomicFile.write(Data("first".utf8), to: url)
        try AtomicFile.write(Data("second, longer".utf8), to: url)
        #expect(try Data(contentsOf: url) == Data("second, longer".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["manifest.json"])
    }

    @Test("a missing directory is an error naming the path and the call")
    func missingDirectory() throws {
        let url = try makeTemporaryDirectory("atomic").appendingPathComponent("absent/file.json")
        #expect(throws: AtomicWriteError(path: url.path, call: "open", reason: "No such file or directory")) {
            try AtomicFile.write(Data("x".utf8), to: url)
        }
    }
}
