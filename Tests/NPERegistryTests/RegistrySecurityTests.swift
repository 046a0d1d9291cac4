import Foundation
@testable import NPERegistry
import Testing
import NPESafetensors

/// Hostile names, links out of the registry, tampered files, and formats from the future.
struct RegistrySecurityTests {
    @Test(arguments: [
        ("slash", "a/b"), ("parent", ".."), ("embedded parent", "a..b"), ("leading dot", ".hidden"),
        ("newline", "a\nb"), ("NUL", "a\u{0}b"), ("escape", "a\u{1B}[31m"), ("DEL", "a\u{7F}"), ("too long", String(repeating: "x", count: 101)),
        ("empty", ""), ("at sign", "a@b"), ("space", "a b"), ("backslash", "a\\b"), ("non-ASCII", "modèle"),
    ])
    func hostileModelNamesAreRejected(label: String, name: String) throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        #expect(throws: RegistryError.self, "\(label)") { try registry.publish(name: name, card: Fixtures.card(), weights: try Fixtures.weights()) }
        #expect(throws: RegistryError.self, "\(label)") { _ = try registry.load(name) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty, "\(label): nothing was created")
    }

    @Test func acceptableNamesAndAliases() throws {
        for name in ["ariel-nsf", "m", "A.b_c+d-1", "3", String(repeating: "x", count: 100)] {
            #expect(throws: Never.self) { try RegistryName.validateModelName(name) }
        }
        for alias in ["12", "latest", "a/b", ".x"] {
            #expect(throws: RegistryError.self, "\(alias)") { try RegistryName.validateAlias(alias) }
        }
        #expect(throws: RegistryError.self) { try ModelRegistry(root: URL(fileURLWithPath: "/tmp")).promote(try ModelVersionID(name: "m", version: 1), to: "../x") }
        // Version IDs are checked on construction and on decoding, so no API can be handed a path-escaping ID.
        #expect(throws: RegistryError.self) { try ModelVersionID(name: "../etc", version: 1) }
        #expect(throws: RegistryError.self) { try ModelVersionID(name: "m", version: 0) }
        #expect(throws: RegistryError.self) { try JSONDecoder().decode(ModelVersionID.self, from: Data(#"{"name": "../../x", "version": 1}"#.utf8)) }
    }

    /// A registry entry that is a link to a directory outside is reported, not followed, at every level.
    @Test func symbolicLinksOutOfTheRegistryAreNotFollowed() throws {
        let root = try Fixtures.temporaryDirectory()
        let outside = try Fixtures.temporaryDirectory("outside")
        defer { Fixtures.cleanUp(root); Fixtures.cleanUp(outside) }
        let registry = ModelRegistry(root: root)
        let elsewhere = ModelRegistry(root: outside)
        let id = try elsewhere.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights())
        let fm = FileManager.default

        // A model directory that is a link.
        try fm.createSymbolicLink(atPath: root.path + "/linked", withDestinationPath: outside.path + "/m")
        guard case .symbolicLink(let path, let destination)? = registryError({ _ = try registry.load("linked") }) else {
            Issue.record("expected a symbolic-link error")
            return
        }
        #expect(path == root.path + "/linked" && destination == outside.path + "/m")
        #expect(throws: RegistryError.self) { try registry.publish(name: "linked", card: Fixtures.card(), weights: try Fixtures.weights()) }
        #expect(try fm.contentsOfDirectory(atPath: outside.path + "/m").sorted() == [".lock", "1", "index.json"], "nothing was written through the link")
        #expect(try registry.modelNames().isEmpty, "list skips links")

        // A version directory that is a link.
        try registry.publish(name: "real", card: Fixtures.card(), weights: try Fixtures.weights())
        try fm.createSymbolicLink(atPath: root.path + "/real/2", withDestinationPath: elsewhere.directory(of: id).path)
        #expect(registryError { _ = try registry.load("real@2") }.map { if case .symbolicLink = $0 { true } else { false } } == true)

        // A weights file that is a link (planted in a copy of version 1).
        let planted = root.path + "/real/3"
        try fm.createDirectory(atPath: planted, withIntermediateDirectories: false)
        for file in ["card.json", "SHA256SUMS"] { try fm.copyItem(atPath: root.path + "/real/1/" + file, toPath: planted + "/" + file) }
        try fm.createSymbolicLink(atPath: planted + "/weights.safetensors", withDestinationPath: elsewhere.directory(of: id).path + "/weights.safetensors")
        #expect(throws: RegistryError.self) { _ = try registry.load("real@3") }
        #expect(try !registry.verify(try ModelVersionID(name: "real", version: 3)).isIntact)
    }

    /// Flips one byte of a published file (after making it writable, as an attacker or a careless tool would).
    private func tamper(_ path: String, at offset: Int) throws {
        try FileSystem.setMode((path as NSString).deletingLastPathComponent, 0o755)
        try FileSystem.setMode(path, 0o644)
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[offset] ^= 0x01
        try data.write(to: URL(fileURLWithPath: path))
    }

    @Test(arguments: ["weights.safetensors", "card.json"])
    func tamperedFilesAreDetectedAndRefused(file: String) throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        let id = try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights())
        let path = registry.directory(of: id).path + "/" + file
        // Change a value byte, not structure: the last data byte of the weights, a metric digit in the card.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let offset = file == "card.json" ? (String(decoding: data, as: UTF8.self).range(of: "0.125")!.upperBound.utf16Offset(in: String(decoding: data, as: UTF8.self)) - 1) : data.count - 1
        try tamper(path, at: offset)

        let report = try registry.verify(id)
        #expect(report.problems.contains { if case .checksumMismatch(let bad, _, _) = $0 { bad == path } else { false } }, "\(report.problems)")
        #expect(registryError { _ = try registry.load("m") }.map { if case .checksumMismatch(let bad, _, _) = $0 { bad == path } else { false } } == true)
        if file == "card.json" {
            #expect(throws: RegistryError.self) { _ = try registry.card(of: id) }
        } else {
            #expect(throws: Never.self, "the card alone is intact") { _ = try registry.card(of: id) }
        }
    }

    /// Replacing the weights and rewriting SHA256SUMS to match still fails: the card records the weights digest too.
    @Test func rewrittenManifestDoesNotHideSwappedWeights() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        let id = try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights())
        let directory = registry.directory(of: id).path
        let swapped = try Safetensors.encode(try Fixtures.weights(seed: 99))
        let card = try Data(contentsOf: URL(fileURLWithPath: directory + "/card.json"))
        try FileSystem.setMode(directory, 0o755)
        for file in ["weights.safetensors", "SHA256SUMS"] { try FileSystem.removeFile(directory + "/" + file) }
        try swapped.write(to: URL(fileURLWithPath: directory + "/weights.safetensors"))
        try Manifest(digests: ["card.json": SHA256Digest.hex(of: card), "weights.safetensors": SHA256Digest.hex(of: swapped)])
            .encoded.write(to: URL(fileURLWithPath: directory + "/SHA256SUMS"))
        let expected = RegistryError.checksumMismatch(path: directory + "/weights.safetensors",
                                                      expected: try registry.card(of: id).weights.sha256, actual: SHA256Digest.hex(of: swapped))
        #expect(registryError { _ = try registry.load("m") } == expected)
        #expect(try registry.verify(id).problems == [expected])
    }

    @Test func addedFilesAreReported() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        let id = try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights())
        let directory = registry.directory(of: id).path
        try FileSystem.setMode(directory, 0o755)
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/extra.bin"))
        #expect(try registry.verify(id).problems == [.unlistedFile(path: directory + "/extra.bin")])
    }

    /// A card from a future format is refused by its version number, even though its checksums are right.
    @Test func unknownFormatVersionIsNamed() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        let id = try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights())
        let directory = registry.directory(of: id).path
        let weightsDigest = try registry.card(of: id).weights.sha256
        let cardPath = directory + "/card.json"
        let future = String(decoding: try Data(contentsOf: URL(fileURLWithPath: cardPath)), as: UTF8.self)
            .replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 7")
        try FileSystem.setMode(directory, 0o755)
        try FileSystem.removeFile(cardPath)
        try FileSystem.removeFile(directory + "/SHA256SUMS")
        try Data(future.utf8).write(to: URL(fileURLWithPath: cardPath))
        let sums = Manifest(digests: ["card.json": SHA256Digest.hex(of: Data(future.utf8)),
                                      "weights.safetensors": weightsDigest]).encoded
        try sums.write(to: URL(fileURLWithPath: directory + "/SHA256SUMS"))
        let error = registryError { _ = try registry.load("m") }
        #expect(error == .unsupportedFormatVersion(path: cardPath, found: 7, supported: 1))
        #expect(error.map { "\($0)".contains("format version 7") && "\($0)".contains(cardPath) } == true)
    }

    @Test func malformedCardAndMissingWeightsNameThePath() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        let id = try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights())
        let directory = registry.directory(of: id).path
        try FileSystem.setMode(directory, 0o755)
        try FileSystem.removeFile(directory + "/weights.safetensors")
        #expect(registryError { _ = try registry.load("m") } == .missingFile(path: directory + "/weights.safetensors"))

        let broken = Data(#"{"formatVersion": 1, "kind": "npe-flow"}"#.utf8)
        try FileSystem.removeFile(directory + "/card.json")
        try broken.write(to: URL(fileURLWithPath: directory + "/card.json"))
        try FileSystem.removeFile(directory + "/SHA256SUMS")
        try Manifest(digests: ["card.json": SHA256Digest.hex(of: broken)]).encoded.write(to: URL(fileURLWithPath: directory + "/SHA256SUMS"))
        let error = registryError { _ = try registry.card(of: id) }
        guard case .malformedCard(let path, let reason)? = error else {
            Issue.record("expected a malformed-card error, got \(String(describing: error))")
            return
        }
        #expect(path == directory + "/card.json")
        #expect(reason.contains("missing field"), "\(reason)")
    }
}
