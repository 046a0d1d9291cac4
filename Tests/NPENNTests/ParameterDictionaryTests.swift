import NPETensor
import NPETestSupport
import Testing
@testable import NPENN
import NPESupport

@Test func saveThenLoadGivesIdenticalOutputs() throws {
    let source = try MLP(sizes: [4, 8, 3], activation: .elu, stream: RandomStream(seed: 1))
    let copy = try MLP(sizes: [4, 8, 3], activation: .elu, stream: RandomStream(seed: 2))
    let x = Variable(testTensor([6, 4], seed: 3))
    #expect(try source(x).value != copy(x).value)
    try copy.load(source.parameterDictionary())
    #expect(try source(x).value == copy(x).value)
    #expect(Set(source.parameterDictionary().keys) == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"])
}

@Test func loadRejectsPartialForeignOrMisshapenDictionaries() throws {
    let net = try MLP(sizes: [4, 8, 3], stream: RandomStream(seed: 1))
    let before = net.parameterDictionary()
    var missing = before
    missing["layers.1.bias"] = nil
    #expect(throws: ModuleError.missingParameter("layers.1.bias")) { try net.load(missing) }
    var extra = before
    extra["layers.2.weight"] = Tensor.zeros([1])
    #expect(throws: ModuleError.unexpectedParameter("layers.2.weight")) { try net.load(extra) }
    var wrong = before
    wrong["layers.0.weight"] = Tensor.zeros([8, 4])
    #expect(throws: ModuleError.parameterShapeMismatch(name: "layers.0.weight", expected: [4, 8], got: [8, 4])) {
        try net.load(wrong)
    }
    // A failed load changes nothing.
    #expect(net.parameterDictionary() == before)
}
