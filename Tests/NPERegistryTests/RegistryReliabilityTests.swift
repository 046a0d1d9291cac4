import Foundation
import NPEChecksum
import NPETestSupport
@testable import NPERegistry
import Testing

/// Regression tests for the registry defects of issue 13 (each failed before its fix).
struct RegistryReliabilityTests {
    /// Rewrites a published version's card with `edit`, and its SHA256SUMS to match, as a user editing by hand
    /// (or a copied directory) would: the checksums are then consistent, the identity is not.
    private func rewriteCard(of id: ModelVersionID, in registry: ModelRegistry, _ edit: (inout ModelCard) -> Void) throws {
        let directory = registry.directory(of: id).path
        try FileSystem.setMode(directory, 0o755)
        let cardPath = directory + "/" + ModelRegistry.cardFileName
        var card = try ModelCard.decode(try FileSystem.readFile(cardPath), path: cardPath)
        edit(&card)
        let data = try RegistryJSON.encode(card)
        try FileSystem.setMode(cardPath, 0o644)
        try data.write(to: URL(fileURLWithPath: cardPath))
        var manifest = try registry.readManifest(id)
        manifest.digests[ModelRegistry.cardFileName] = SHA256Digest.hex(of: data)
        let manifestPath = directory + "/" + Manifest.fileName
        try FileSystem.setMode(manifestPath, 0o644)
        try manifest.encoded.write(to: URL(fileURLWithPath: manifestPath))
    }

    /// Defect 4: a card that says `other@1` or version 5, with regenerated checksums, failed `verify` but loaded
    /// (and inference then recorded the wrong model reference). The loader now checks the identity as verify does.
    @Test(arguments: ["name", "version"])
    func theLoaderChecksTheCardsIdentity(field: String) throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        let id = try registry.publish(name: "lg", card: Fixtures.card(), weights: try Fixtures.weights())
        try rewriteCard(of: id, in: registry) { card in
            if field == "name" { card.name = "other" } else { card.version = 5 }
        }
        let expected = field == "name" ? "other@1" : "lg@5"
        for load in [{ _ = try registry.load("lg") }, { _ = try registry.load("lg@1") }, { _ = try registry.card(of: id) }] {
            let error = registryError { try load() }
            guard case .malformedCard(_, let reason)? = error else {
                Issue.record("expected malformedCard, got \(String(describing: error))")
                continue
            }
            #expect(reason.contains("describes \(expected)") && reason.contains("stored as lg@1"))
        }
        #expect(!(try registry.verify(id)).isIntact)
    }

    /// Defect 10: a model directory replaced by a symbolic link vanished from `list` and a whole-registry
    /// `verify` passed with an empty table. The entry is now reported as skipped, and verifying it fails.
    @Test func aSymlinkedModelIsReportedAndFailsVerification() throws {
        let root = try Fixtures.temporaryDirectory()
        let elsewhere = try Fixtures.temporaryDirectory("elsewhere")
        defer { Fixtures.cleanUp(root); Fixtures.cleanUp(elsewhere) }
        let registry = ModelRegistry(root: root)
        try registry.publish(name: "lg", card: Fixtures.card(), weights: try Fixtures.weights())
        try FileManager.default.moveItem(atPath: root.path + "/lg", toPath: elsewhere.path + "/lg")
        try FileManager.default.createSymbolicLink(atPath: root.path + "/lg", withDestinationPath: elsewhere.path + "/lg")
        try "notes\n".write(toFile: root.path + "/README.md", atomically: true, encoding: .utf8)

        #expect(try registry.modelNames().isEmpty)
        let skipped = try registry.skippedEntries()
        #expect(skipped.map(\.name) == ["lg"])  // the README is no model, and not worth a warning
        #expect(skipped.first?.reason.contains("symbolic link") == true)
        let reports = try registry.verifySkippedEntries()
        #expect(reports.count == 1 && reports[0].subject == "lg (skipped)" && !reports[0].isIntact)

        let executable = builtExecutable(named: "npe-registry")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return }
        let verify = try runProcess(executable, ["verify", "--registry", root.path], mergingErrors: true)
        #expect(verify.status == 1, "\(verify.output)")
        #expect(verify.output.contains("lg (skipped)") && verify.output.contains("FAILED"))
        let list = try runProcess(executable, ["list", "--registry", root.path])
        #expect(list.status == 0)
        #expect(list.errors.contains("skipped 'lg': a symbolic link"), "\(list.errors)")
    }

    /// A name with a space names the space (it printed as "character   is not allowed").
    @Test func anInvalidCharacterIsNamedVisibly() {
        let error = registryError { try RegistryName.validateModelName("my model") }
        #expect("\(String(describing: error))".contains("' ' (space)"))
    }

    /// The run lock behind `npe-train`'s checkpoint directory and `npe-infer`'s output (defect 3): a second
    /// holder is refused with the first one's record, a released lock is free again, and a lock file deleted by
    /// its holder is never shared.
    @Test func runLocksExcludeAndNameTheHolder() throws {
        let root = try Fixtures.temporaryDirectory("lock")
        defer { Fixtures.cleanUp(root) }
        let path = root.path + "/.lock"
        let first = try RunLock.acquire(at: path, purpose: "npe-train --name lg", advice: "wait")
        #expect {
            _ = try RunLock.acquire(at: path, purpose: "second", advice: "wait for it")
        } throws: { error in
            guard case .held(let lockPath, let holder, let advice)? = error as? RunLockError else { return false }
            return lockPath == path && holder.contains("pid \(getpid())") && holder.contains("npe-train --name lg")
                && advice == "wait for it"
        }
        first.release(removingFile: true)
        #expect(!FileManager.default.fileExists(atPath: path))
        let second = try RunLock.acquire(at: path, purpose: "second", advice: "wait")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("second"))
        second.release()
        _ = try RunLock.acquire(at: path, purpose: "third", advice: "wait")  // released without removing: free
    }
}
