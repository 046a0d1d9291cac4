import Foundation
import NPETestSupport
@testable import NPERegistry
import Testing
import NPESafetensors

/// The registry read and written by the real Python clients: `safetensors` + numpy for weights, `json` for cards,
/// `hashlib` for the manifest. Runs when `EXONPE_PYTHON` names a Python with those packages (`scripts/test` sets it).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["EXONPE_PYTHON"] != nil))
struct PythonInteropTests {
    /// Runs a Python script with arguments and returns its standard output; a non-zero exit fails with stderr.
    private func python(_ script: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Data {
        let result = try InteropPython.run(script, arguments)
        #expect(result.status == 0, "\(result.errors)", sourceLocation: sourceLocation)
        return Data(result.output.utf8)
    }

    /// What the Python side reports: each tensor's dtype, shape and element bit patterns (hex, so 64-bit patterns
    /// survive JSON), the metadata, selected card fields, and which manifest entries hashlib confirms.
    private struct PythonView: Decodable {
        struct Tensor: Decodable { var dtype: String; var shape: [Int]; var bits: [String] }
        var tensors: [String: Tensor]
        var metadata: [String: String]
        var card: ModelCard
        var cardKind: String
        var firstPriorHigh: Double
        var seed: UInt64
        var manifestOK: [String: Bool]
    }

    private static let readScript = #"""
    import hashlib, json, sys
    import numpy as np
    from safetensors import safe_open
    from safetensors.numpy import load_file
    d = sys.argv[1]
    weights = load_file(d + "/weights.safetensors")
    with safe_open(d + "/weights.safetensors", framework="np") as f:
        metadata = f.metadata() or {}
    width = {"float32": "<u4", "float64": "<u8", "int64": "<u8"}
    names = {"float32": "F32", "float64": "F64", "int64": "I64"}
    tensors = {k: {"dtype": names[str(v.dtype)], "shape": list(v.shape),
                   "bits": [format(int(b), "x") for b in v.view(width[str(v.dtype)]).ravel()]} for k, v in weights.items()}
    card = json.load(open(d + "/card.json"))
    ok = {}
    for line in open(d + "/SHA256SUMS"):
        digest, name = line.rstrip("\n").split("  ", 1)
        ok[name] = hashlib.sha256(open(d + "/" + name, "rb").read()).hexdigest() == digest
    ok["card.weights.sha256"] = hashlib.sha256(open(d + "/weights.safetensors", "rb").read()).hexdigest() == card["weights"]["sha256"]
    print(json.dumps({"tensors": tensors, "metadata": metadata, "card": card, "cardKind": card["kind"],
                      "firstPriorHigh": card["parameters"][0]["prior"]["high"], "seed": card["training"]["seed"], "manifestOK": ok}))
    """#

    @Test func pythonReadsPublishedWeightsAndCard() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { Fixtures.cleanUp(root) }
        let registry = ModelRegistry(root: root)
        let weights = try Fixtures.weights()
        let id = try registry.publish(name: "ariel-nsf", card: Fixtures.card(seed: UInt64.max - 1), weights: weights)
        let view = try RegistryJSON.decoder.decode(PythonView.self, from: python(Self.readScript, [registry.directory(of: id).path]))

        #expect(Set(view.tensors.keys) == Set(weights.tensors.keys))
        for (name, blob) in weights.tensors {
            #expect(view.tensors[name]?.dtype == blob.dtype.rawValue, "\(name)")
            #expect(view.tensors[name]?.shape == blob.shape, "\(name)")
            #expect(view.tensors[name]?.bits.compactMap { UInt64($0, radix: 16) } == Fixtures.bits(weights)[name], "\(name)")
        }
        #expect(view.metadata == weights.metadata)
        #expect(view.card == (try registry.card(of: id)), "json.load sees the same card")
        #expect(view.cardKind == "npe-flow" && view.firstPriorHigh == 4.5 && view.seed == UInt64.max - 1, "64-bit seed survives")
        #expect(view.manifestOK == ["card.json": true, "weights.safetensors": true, "card.weights.sha256": true])
    }

    /// Python writes (with metadata) and Swift reads; then Python re-saves Swift's bytes and gets the same bytes.
    @Test func swiftReadsPythonFilesAndWritesIdenticalBytes() throws {
        let directory = try Fixtures.temporaryDirectory("interop")
        defer { Fixtures.cleanUp(directory) }
        let script = #"""
        import sys
        import numpy as np
        from safetensors.numpy import save_file, load_file, save
        d = sys.argv[1]
        save_file({"w": np.arange(12, dtype=np.float32).reshape(3, 4) / 7, "d": np.array([1e-300, -0.0]),
                   "i": np.array([[-(2**63)], [2**63 - 1]], dtype=np.int64), "s": np.array(2.5, dtype=np.float32)},
                  d + "/python.safetensors", metadata={"source": "python", "n": "4"})
        open(d + "/resaved.safetensors", "wb").write(save(load_file(d + "/swift.safetensors")))
        """#
        let tensors = try Fixtures.weights()
        let swiftBytes = try Safetensors.encode(NamedTensors(tensors: tensors.tensors))  // no metadata: Python's order for it is unspecified
        try swiftBytes.write(to: directory.appendingPathComponent("swift.safetensors"))
        _ = try python(script, [directory.path])

        let fromPython = try Safetensors.decode(Data(contentsOf: directory.appendingPathComponent("python.safetensors")))
        #expect(fromPython.metadata == ["source": "python", "n": "4"])
        #expect(fromPython["w"] == (try TensorBlob(shape: [3, 4], floats: (0..<12).map { Float($0) / 7 })))
        #expect(fromPython["d"].map { Fixtures.bits(NamedTensors(tensors: ["d": $0]))["d"] } == [1e-300.bitPattern, (-0.0).bitPattern])
        #expect(fromPython["i"] == (try TensorBlob(shape: [2, 1], values: .int64([Int64.min, Int64.max]))))
        #expect(fromPython["s"] == (try TensorBlob(shape: [], floats: [2.5])))
        #expect(try Data(contentsOf: directory.appendingPathComponent("resaved.safetensors")) == swiftBytes)
    }
}
