import Testing
@testable import NPESimulators

/// One malformed prior file and what its error must say.
struct PriorValidationCase: CustomTestStringConvertible, Sendable {
    let id: String
    let yaml: String
    /// Expected 1-based parameter index (nil for whole-file problems), name and field.
    let index: Int?
    let name: String?
    let field: String
    let problem: PriorError.Problem
    var testDescription: String { id }
}

@Suite("Prior validation errors")
struct PriorValidationTests {
    static let good = "  - {name: ok, prior: {uniform: [0, 1]}}\n"

    static let cases: [PriorValidationCase] = [
        .init(id: "unknown family", yaml: "parameters:\n" + good + "  - {name: a, prior: {gamma: [1, 2]}}",
              index: 2, name: "a", field: "prior", problem: .unknownFamily("gamma")),
        .init(id: "low not below high", yaml: "parameters:\n  - {name: log_H2O, prior: {uniform: [-1, -12]}}",
              index: 1, name: "log_H2O", field: "prior.uniform", problem: .lowNotBelowHigh(low: -1, high: -12)),
        .init(id: "equal bounds", yaml: "parameters:\n  - {name: t, prior: {log_uniform: [2, 2]}}",
              index: 1, name: "t", field: "prior.log_uniform", problem: .lowNotBelowHigh(low: 2, high: 2)),
        .init(id: "zero sigma", yaml: "parameters:\n" + good + "  - {name: m, prior: {normal: [0, 0]}}",
              index: 2, name: "m", field: "prior.normal", problem: .nonPositiveScale(0)),
        .init(id: "negative sigma", yaml: "parameters:\n  - {name: m, prior: {log_normal: [0, -1]}}",
              index: 1, name: "m", field: "prior.log_normal", problem: .nonPositiveScale(-1)),
        .init(id: "NaN bound", yaml: "parameters:\n  - {name: r, prior: {uniform: [.nan, 1]}}",
              index: 1, name: "r", field: "prior.uniform", problem: .nonFinite(.nan)),
        .init(id: "infinite bound", yaml: "parameters:\n  - {name: r, prior: {uniform: [0, .inf]}}",
              index: 1, name: "r", field: "prior.uniform", problem: .nonFinite(.infinity)),
        .init(id: "text bound", yaml: "parameters:\n  - {name: r, prior: {uniform: [0, big]}}",
              index: 1, name: "r", field: "prior.uniform", problem: .notANumber("big")),
        .init(id: "wrong count", yaml: "parameters:\n  - {name: r, prior: {uniform: [0, 1, 2]}}",
              index: 1, name: "r", field: "prior.uniform",
              problem: .wrongArgumentCount(family: "uniform", expected: 2, got: 3)),
        .init(id: "log bound not positive", yaml: "parameters:\n  - {name: mass, prior: {log_uniform: [0, 10]}}",
              index: 1, name: "mass", field: "prior.log_uniform", problem: .nonPositiveLogBound(0)),
        .init(id: "duplicate name", yaml: "parameters:\n" + good + good,
              index: 2, name: "ok", field: "name", problem: .duplicateName(firstIndex: 1)),
        .init(id: "missing name", yaml: "parameters:\n" + good + "  - {unit: K, prior: {uniform: [0, 1]}}",
              index: 2, name: nil, field: "name", problem: .missingField),
        .init(id: "missing prior", yaml: "parameters:\n  - {name: t, unit: K}",
              index: 1, name: "t", field: "prior", problem: .missingField),
        .init(id: "two families", yaml: "parameters:\n  - {name: t, prior: {uniform: [0, 1], normal: [0, 1]}}",
              index: 1, name: "t", field: "prior", problem: .priorNeedsOneFamily(found: 2)),
        .init(id: "unknown parameter key", yaml: "parameters:\n  - {name: t, units: K, prior: {fixed: 1}}",
              index: 1, name: "t", field: "units", problem: .unknownKey("units")),
        .init(id: "unknown top-level key", yaml: "parameters:\n" + good + "priors: []",
              index: nil, name: nil, field: "priors", problem: .unknownKey("priors")),
        .init(id: "bad boolean", yaml: "parameters:\n  - {name: t, context: maybe, prior: {fixed: 1}}",
              index: 1, name: "t", field: "context", problem: .invalidBoolean("maybe")),
        .init(id: "bad name", yaml: "parameters:\n  - {name: 'planet radius', prior: {fixed: 1}}",
              index: 1, name: nil, field: "name", problem: .invalidName("planet radius")),
        .init(id: "no parameters", yaml: "description: nothing\n",
              index: nil, name: nil, field: "parameters", problem: .missingField),
        .init(id: "empty parameters", yaml: "parameters: []\n",
              index: nil, name: nil, field: "parameters", problem: .emptyParameterList),
        .init(id: "parameters not a list", yaml: "parameters: {name: t}\n",
              index: nil, name: nil, field: "parameters", problem: .notASequence),
    ]

    @Test(arguments: cases)
    func reportsTheParameterAndField(_ testCase: PriorValidationCase) {
        let error = #expect(throws: PriorError.self) { try Prior(yaml: testCase.yaml, source: "bad.yaml") }
        guard let error else { return }
        #expect(error.file == "bad.yaml")
        #expect(error.parameterIndex == testCase.index)
        #expect(error.parameterName == testCase.name)
        #expect(error.field == testCase.field)
        if case .nonFinite(let value) = testCase.problem, value.isNaN {
            guard case .nonFinite(let got) = error.problem else { Issue.record("got \(error.problem)"); return }
            #expect(got.isNaN)
        } else {
            #expect(error.problem == testCase.problem)
        }
        // The readable message carries the same facts.
        let message = error.description
        #expect(message.hasPrefix("bad.yaml"))
        if let index = testCase.index { #expect(message.contains("parameter \(index)")) }
        if let name = testCase.name { #expect(message.contains("'\(name)'")) }
        if !testCase.field.isEmpty { #expect(message.contains("field '\(testCase.field)'")) }
        #expect(error.line != nil)
    }

    @Test func invalidYAMLNamesTheFile() {
        let error = #expect(throws: PriorError.self) { try Prior(yaml: "parameters: [\n  - {", source: "x.yaml") }
        #expect(error?.description.hasPrefix("x.yaml") == true)
    }
}
