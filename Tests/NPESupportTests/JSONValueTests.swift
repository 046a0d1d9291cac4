import Foundation
import NPESupport
import Testing

@Suite("JSONValue: the free-form parts of cards and safetensors headers")
struct JSONValueTests {
    static let sample: JSONValue = [
        "name": "flow", "layers": [["width": 64], ["width": 32.5]], "enabled": true, "note": nil, "empty": [:], "none": [],
    ]

    @Test("decodes what it encodes, for every case")
    func roundTrip() throws {
        let data = try JSONEncoder().encode(Self.sample)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == Self.sample)
    }

    @Test("decodes each JSON spelling to its case")
    func decodesEachCase() throws {
        let text = #"{"b": false, "n": -2.5e3, "s": "x", "z": null, "a": [1, "2"], "o": {"k": 1}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value["b"] == .bool(false))
        #expect(value["n"] == .number(-2500))
        #expect(value["s"] == .string("x"))
        #expect(value["z"] == .null)
        #expect(value["a"] == .array([.number(1), .string("2")]))
        #expect(value["o"] == .object(["k": .number(1)]))
        #expect(value["missing"] == nil)
        #expect(JSONValue.string("x")["k"] == nil, "subscript of a non-object")
    }

    @Test("flattened gives sorted dotted paths and keeps empty containers")
    func flattened() {
        let paths = Self.sample.flattened().map { "\($0.path)=\($0.value)" }
        #expect(paths == [
            "empty={}", "enabled=true", "layers[0].width=64", "layers[1].width=32.5", "name=flow", "none=[]", "note=null",
        ])
    }

    @Test("compactText: integers without a point, strings unquoted, keys sorted")
    func compactText() {
        #expect(JSONValue.number(3).compactText == "3")
        #expect(JSONValue.number(0.25).compactText == "0.25")
        // 10¹⁶ is past the integer rendering's bound and keeps Double's spelling.
        #expect(JSONValue.number(1e16).compactText == "1e+16")
        #expect(JSONValue(dictionaryLiteral: ("b", 1), ("a", "x")).compactText == "{a: x, b: 1}")
    }

    @Test("isFinite finds a non-finite number at any depth")
    func finiteness() {
        #expect(Self.sample.isFinite)
        #expect(!JSONValue.object(["a": .array([.number(1), .number(.nan)])]).isFinite)
        #expect(!JSONValue.number(.infinity).isFinite)
    }

    @Test("a duplicate key in a literal keeps the last value")
    func duplicateLiteralKey() {
        #expect(JSONValue(dictionaryLiteral: ("k", 1), ("k", 2))["k"] == .number(2))
    }
}
