import Foundation
import NPEYAML
import Testing
import Yams

/// The reader's own error, so each test can see exactly which path, line and problem it reports.
struct Located: Error, Equatable {
    var path: String
    var line: Int?
    var problem: YAMLNodeProblem
}

func reader(_ source: String = "t.yaml") -> YAMLNodeReader {
    YAMLNodeReader(source: source) { Located(path: $0, line: $1, problem: $2) }
}

func root(_ text: String, _ nodes: YAMLNodeReader) throws -> Node {
    try #require(try nodes.compose(text))
}

@Test func entriesVisitKeysInFileOrderWithDottedPathsAndLines() throws {
    let nodes = reader()
    let top = try root("a: 1\nb:\n  c: x\n", nodes)
    var visited: [String] = []
    try nodes.entries(top, "", known: ["a", "b"]) { key, value, path in
        visited.append(path)
        if key == "b" { try nodes.entries(value, path, known: ["c"]) { _, _, inner in visited.append(inner) } }
    }
    #expect(visited == ["a", "b", "b.c"])
    #expect(nodes.lines == ["a": 1, "b": 2, "b.c": 3])
}

@Test("structural problems name the dotted path and the line", arguments: [
    ("a: 1\nz: 2\n", Located(path: "z", line: 2, problem: .unknownKey("z", known: ["a"]))),
    ("a: 1\na: 2\n", Located(path: "a", line: 2, problem: .duplicateKey(firstLine: 1))),
    ("- 1\n- 2\n", Located(path: "", line: 1, problem: .notAMapping)),
])
func structuralProblems(text: String, expected: Located) throws {
    let nodes = reader()
    let top = try root(text, nodes)
    #expect(throws: expected) { try nodes.entries(top, "", known: ["a"]) { _, _, _ in } }
}

@Test func scalarsParseOnceForEveryFile() throws {
    let nodes = reader()
    let top = try root("""
        i: -3
        f: 0.1
        inf: .inf
        t: On
        n: ~
        o: none
        list: [1, 2]
        word: cosine
        """, nodes)
    let values = Dictionary(uniqueKeysWithValues: try nodes.mapping(top, "").map { ($0.key.scalar!.string, $0.value) })
    #expect(try nodes.integer(values["i"]!, "i") == -3)
    // Parsed in Float itself: the nearest Float to 0.1, not Float(Double(0.1)) rounded twice.
    #expect(try nodes.number(Float.self, values["f"]!, "f") == Float("0.1")!)
    #expect(try nodes.number(Double.self, values["inf"]!, "inf", finite: false) == .infinity)
    #expect(throws: Located(path: "inf", line: 3, problem: .notANumber(".inf"))) {
        try nodes.number(Double.self, values["inf"]!, "inf")
    }
    #expect(try nodes.boolean(values["t"]!, "t"))
    #expect(nodes.isNull(values["n"]!) && !nodes.isNull(values["o"]!) && nodes.isNone(values["o"]!))
    #expect(try nodes.integers(values["list"]!, "list") == [1, 2])
    #expect(try nodes.choice(values["word"]!, "word", [("constant", 0), ("cosine", 1)]) == 1)
    #expect(throws: Located(path: "word", line: 8, problem: .notOneOf("cosine", allowed: ["a", "b"]))) {
        try nodes.choice(values["word"]!, "word", [("a", 0), ("b", 1)])
    }
    #expect(throws: Located(path: "list", line: 7, problem: .notAScalar)) { try nodes.integer(values["list"]!, "list") }
    #expect(throws: Located(path: "i", line: 1, problem: .notAList)) { try nodes.list(values["i"]!, "i") }
    #expect(throws: Located(path: "f", line: 2, problem: .notAnInteger("0.1"))) { try nodes.integer(values["f"]!, "f") }
    #expect(throws: Located(path: "word", line: 8, problem: .notABoolean("cosine"))) {
        try nodes.boolean(values["word"]!, "word")
    }
}

@Test func documentsAndFilesFailInTheCallersTerms() throws {
    let nodes = reader()
    #expect(try nodes.compose("") == nil)
    #expect(throws: Located.self) { try nodes.compose("a: [1, 2\n") }
    let missing = URL(fileURLWithPath: "/nonexistent/npe-yaml-test.yaml")
    do {
        _ = try YAMLNodeReader.text(of: missing) { Located(path: $0, line: $1, problem: $2) }
        Issue.record("an unreadable file was read")
    } catch let error as Located {
        guard case .unreadableFile = error.problem else { Issue.record("wrong problem \(error.problem)"); return }
        #expect(error.path == "" && error.line == nil)
    }
}
