import Foundation
import Testing
@testable import NPEData

/// Defect 13 of issue 13: libhdf5 1.10 can crash (SIGSEGV) on a one-byte corruption of a file's
/// variable-length string heap instead of returning an error, so our files carry a SHA-256 seal in their user
/// block that ``HDF5File/open(at:)`` checks before libhdf5 reads anything.
struct HDF5SealTests {
    private func writeStrings(_ url: URL) throws {
        let file = try HDF5File.create(at: url)
        let root = try file.root()
        _ = try root.createDataset("id", strings: (0..<40).map { "target-\($0)" })
        try root.attributes.set("prior", to: .string(String(repeating: "{\"uniform\":[0,1]}", count: 10)))
        _ = try root.createDataset("x", values: (0..<40).map(Float.init), shape: [40])
        try file.commit()
    }

    @Test func everyByteOfASealedFileIsCovered() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npe-seal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("s.h5")
        try writeStrings(url)
        let bytes = try Data(contentsOf: url)
        #expect(bytes.starts(with: Array("EXONPE-SEAL 1 sha256 ".utf8)))
        #expect(try HDF5File.open(at: url).root().openDataset("id").readStrings().count == 40)
        // Damage past the user block, wherever it lands (heap, superblock, raw data), is refused before parsing.
        for offset in stride(from: HDF5FileSeal.userBlockByteCount, to: bytes.count, by: max(1, bytes.count / 64)) {
            var damaged = bytes
            damaged[offset] ^= 0x02
            try damaged.write(to: url)
            #expect {
                _ = try HDF5File.open(at: url)
            } throws: { error in
                guard case .sealMismatch(let path, let recorded, _)? = error as? HDF5Error else { return false }
                return path == url.path && recorded == String(decoding: bytes[21..<85], as: UTF8.self)
            }
        }
        // A damaged seal line is refused too; a file without one (another tool's) is read unverified.
        var badSeal = bytes
        badSeal[30] = UInt8(ascii: "z")
        try badSeal.write(to: url)
        #expect(throws: HDF5Error.self) { _ = try HDF5File.open(at: url) }
        // Damage to the magic itself must not turn the check off (the file would pass as another tool's).
        for offset in [0, 7, 20] {
            var badMagic = bytes
            badMagic[offset] ^= 0x20
            try badMagic.write(to: url)
            #expect(throws: HDF5Error.self, "magic byte \(offset)") { _ = try HDF5File.open(at: url) }
        }
        var foreign = bytes
        foreign.replaceSubrange(0..<512, with: [UInt8](repeating: 0, count: 512))
        try foreign.write(to: url)
        #expect(try HDF5File.open(at: url).root().openDataset("id").readStrings().count == 40)
    }

    /// An update keeps the seal current.
    @Test func updatesReseal() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npe-seal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("s.h5")
        try writeStrings(url)
        let update = try HDF5File.openForUpdate(at: url)
        try update.root().attributes.set("note", to: .string("changed"))
        try update.commit()
        #expect(try HDF5File.open(at: url).root().attributes.string("note") == "changed")
    }
}
