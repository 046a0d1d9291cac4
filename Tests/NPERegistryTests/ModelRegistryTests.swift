import Foundation
@testable import NPERegistry
import Testing
import NPESafetensors

struct ModelRegistryTests {
    @Test func publishThenLoadGivesIdenticalModel() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        let weights = try Fixtures.weights()
        let card = Fixtures.card()
        let id = try registry.publish(name: "ariel-nsf", card: card, weights: weights, files: ["training-log.csv": Data("epoch,loss\n1,0.5\n".utf8)])
        #expect(try id == ModelVersionID(name: "ariel-nsf", version: 1))

        let loaded = try registry.load("ariel-nsf")
        #expect(loaded.id == id)
        #expect(Fixtures.bits(loaded.weights) == Fixtures.bits(weights))
        #expect(loaded.weights.metadata == weights.metadata)
        var expected = card
        (expected.name, expected.version, expected.createdAt, expected.weights) = ("ariel-nsf", 1, loaded.card.createdAt, loaded.card.weights)
        #expect(loaded.card == expected)
        #expect(abs(loaded.card.createdAt.timeIntervalSinceNow) < 60)
        #expect(loaded.card.weights.byteCount == (try Safetensors.encode(weights)).count)
        #expect(loaded.attachedFileNames == ["training-log.csv"])
        #expect(try registry.attachedFile(named: "training-log.csv", of: id) == Data("epoch,loss\n1,0.5\n".utf8))
        #expect(try registry.verify(id).isIntact)
    }

    @Test func publishedVersionIsReadOnly() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        let id = try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights())
        let directory = registry.directory(of: id).path
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
        }
        #expect(try mode(directory) == 0o555)
        for file in [ModelRegistry.cardFileName, ModelRegistry.weightsFileName, "SHA256SUMS"] {
            #expect(try mode(directory + "/" + file) == 0o444, "\(file)")
        }
        #expect(try mode(directory + "/evaluations") == 0o755)
        let entries = try FileManager.default.contentsOfDirectory(atPath: root.path + "/m").sorted()
        #expect(entries == [".lock", "1", "index.json"], "no temporary directory is left behind")
    }

    @Test func referencesAliasesAndLatestResolve() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        for seed in 1...3 { try registry.publish(name: "m", card: Fixtures.card(seed: UInt64(seed)), weights: try Fixtures.weights()) }
        try registry.promote(try ModelVersionID(name: "m", version: 2), to: "production")
        try registry.promote(try ModelVersionID(name: "m", version: 1), to: "staging")

        #expect(try registry.resolve("m").version == 3)
        #expect(try registry.resolve("m@latest").version == 3)
        #expect(try registry.resolve("m@1").version == 1)
        #expect(try registry.resolve("m@production").version == 2)
        #expect(try registry.load("m@production").card.training.seed == 2)
        #expect(try registry.aliases(of: "m") == ["production": 2, "staging": 1])
        #expect(try registry.versions(of: "m") == [1, 2, 3])
        #expect(try registry.modelNames() == ["m"])

        try registry.promote(try ModelVersionID(name: "m", version: 3), to: "production")
        #expect(try registry.resolve("m@production").version == 3, "promote moves an alias")
        try registry.removeAlias("staging", of: "m")
        #expect(try registry.aliases(of: "m") == ["production": 3])
    }

    @Test func unknownNamesVersionsAndAliasesNameThePath() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights())
        #expect(registryError { _ = try registry.resolve("nope") } == .modelNotFound(name: "nope", path: root.path + "/nope"))
        #expect(registryError { _ = try registry.resolve("m@7") } == .versionNotFound(name: "m", version: 7, path: root.path + "/m/7"))
        #expect(registryError { _ = try registry.resolve("m@prod") } == .aliasNotFound(name: "m", alias: "prod", path: root.path + "/m/index.json"))
        #expect(registryError { try registry.promote(try ModelVersionID(name: "m", version: 9), to: "prod") } ==
            .versionNotFound(name: "m", version: 9, path: root.path + "/m/9"))
        #expect(registryError { _ = try registry.resolve("m@0") } != nil)
        #expect(registryError { _ = try registry.resolve("m@01") } != nil)
        #expect(registryError { _ = try registry.resolve("m@") } != nil)
    }

    @Test func versionsStayMonotonicAcrossRemoval() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        for _ in 1...2 { try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights()) }
        try registry.remove(try ModelVersionID(name: "m", version: 2))
        #expect(try registry.versions(of: "m") == [1])
        #expect(try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights()).version == 3,
                "a removed version number is never reused")
    }

    @Test func removeRefusesAliasedVersionUnlessForced() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        let id = try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights())
        try registry.promote(id, to: "production")
        #expect(registryError { try registry.remove(id) } == .versionIsAliased(name: "m", version: 1, aliases: ["production"]))
        #expect(try registry.verify(id).isIntact, "a refused removal changes nothing")
        try registry.remove(id, force: true)
        #expect(try registry.versions(of: "m").isEmpty)
        #expect(try registry.aliases(of: "m").isEmpty, "forced removal takes its aliases with it")
        #expect(registryError { _ = try registry.resolve("m") } == .noVersions(name: "m", path: root.path + "/m"))
    }

    @Test func evaluationsAreAppendedWithoutTouchingTheVersion() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        let id = try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights())
        let before = try Data(contentsOf: registry.directory(of: id).appendingPathComponent("SHA256SUMS"))
        let moment = Date(timeIntervalSince1970: 1_790_000_000)
        let first = try registry.appendEvaluation(EvaluationRecord(kind: "coverage", results: ["ece": 0.01], toolVersion: "0.1.0", createdAt: moment), to: id)
        let second = try registry.appendEvaluation(EvaluationRecord(kind: "coverage", results: ["ece": 0.02], toolVersion: "0.1.0", createdAt: moment), to: id)
        #expect(first.lastPathComponent == "20260921T141320Z-coverage.json")
        #expect(second.lastPathComponent == "20260921T141320Z-coverage-2.json", "same second, same kind: never overwritten")
        #expect(try registry.evaluations(of: id).map(\.results) == [["ece": 0.01], ["ece": 0.02]])
        #expect(try Data(contentsOf: registry.directory(of: id).appendingPathComponent("SHA256SUMS")) == before)
        #expect(try registry.verify(id).isIntact)
        #expect(throws: RegistryError.self) {
            try registry.appendEvaluation(EvaluationRecord(kind: "../x", results: nil, toolVersion: "0.1.0"), to: id)
        }
        let future = registry.directory(of: id).path + "/evaluations/20300101T000000Z-sbc.json"
        try Data(#"{"formatVersion": 5}"#.utf8).write(to: URL(fileURLWithPath: future))
        #expect(registryError { _ = try registry.evaluations(of: id) } == .unsupportedFormatVersion(path: future, found: 5, supported: 1))
        #expect(try registry.verify(id).problems == [.unsupportedFormatVersion(path: future, found: 5, supported: 1)])
    }

    @Test func diffShowsChangedFieldsSideBySide() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        var changed = Fixtures.card(metric: 0.25)
        changed.architecture = ["flow": "nsf", "transforms": 8, "hiddenFeatures": [64, 64], "bins": 8, "embedding": ["kind": "mlp", "width": 128.5]]
        changed.dataset.rowCount = 2000
        let left = try registry.card(of: registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights()))
        let right = try registry.card(of: registry.publish(name: "m", card: changed, weights: try Fixtures.weights()))
        let differences = ModelCardComparison(left, right).differences
        let fields = Set(differences.map { "\($0.section):\($0.field)" })
        #expect(fields.isSuperset(of: ["architecture:transforms", "data:dataset.rowCount", "metrics:validationLoss", "model:reference"]))
        #expect(!fields.contains("architecture:flow"))
        #expect(differences.first { $0.field == "transforms" }.map { [$0.left, $0.right] } == ["5", "8"])
    }

    @Test func invalidCardsAreRefusedBeforeAnythingIsWritten() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        var card = Fixtures.card(metric: .nan)
        #expect(registryError { try registry.publish(name: "m", card: card, weights: try Fixtures.weights()) }.map { "\($0)".contains("metrics.validationLoss") } == true)
        card = Fixtures.card()
        card.standardisation["x"]?.standardDeviation = [1, 0, 1]
        #expect(throws: RegistryError.self) { try registry.publish(name: "m", card: card, weights: try Fixtures.weights()) }
        #expect(throws: RegistryError.self) {
            try registry.publish(name: "m", card: Fixtures.card(), weights: try Fixtures.weights(), files: ["card.json": Data()])
        }
        #expect(!FileManager.default.fileExists(atPath: root.path + "/m/1"))
    }
}
