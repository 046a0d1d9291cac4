import Foundation
import Testing
@testable import NPETensor
import NPETestSupport

@Test func broadcastShapesFollowNumPyRules() throws {
    #expect(try Tensor.broadcastShape([3, 4], [4], op: "t") == [3, 4])
    #expect(try Tensor.broadcastShape([3, 1], [1, 4], op: "t") == [3, 4])
    #expect(try Tensor.broadcastShape([], [2, 3], op: "t") == [2, 3])
    #expect(try Tensor.broadcastShape([2, 1, 4], [3, 1], op: "t") == [2, 3, 4])
}

@Test func mismatchedShapesThrowNamingOpAndBothShapes() {
    let error = #expect(throws: TensorError.self) { try Tensor.zeros([3, 4]) + Tensor.zeros([3]) }
    #expect(error == .shapeMismatch(op: "add", lhs: [3, 4], rhs: [3]))
    #expect(error?.description == "add: incompatible shapes [3, 4] and [3]")
}

@Test func rowColumnAndScalarBroadcastValues() throws {
    let m = try Tensor(rows: [[1, 2, 3], [4, 5, 6]])
    #expect(try (m + Tensor(shape: [3], scalars: [10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
    #expect(try (m * Tensor(shape: [2, 1], scalars: [2, 3])).scalars == [2, 4, 6, 12, 15, 18])
    #expect(try (Tensor(scalar: 1) - m).scalars == [0, -1, -2, -3, -4, -5])
    #expect(try (Tensor(shape: [1, 3], scalars: [1, 2, 3]) / Tensor(shape: [2, 1], scalars: [1, 2])).scalars == [1, 2, 3, 0.5, 1, 1.5])
}

@Test func reductionsAndIndexing() throws {
    let m = try Tensor(rows: [[1, 2, 3], [4, 5, 6]])
    #expect(try m.sum(alongAxis: 0).scalars == [5, 7, 9])
    #expect(try m.mean(alongAxis: 1).scalars == [2, 5])
    #expect(m.sum().scalarValue == 21)
    let lse = try m.logSumExp(alongAxis: 1)
    #expect(abs(lse.scalars[0] - Float(log(exp(1.0) + exp(2.0) + exp(3.0)))) < 1e-5)
    // −∞ entries (zero probability) must not turn into NaN.
    let withInfinity = try Tensor(rows: [[-.infinity, 0], [-.infinity, -.infinity]]).logSumExp(alongAxis: 1)
    #expect(withInfinity.scalars[0] == 0 && withInfinity.scalars[1] == -.infinity)
    #expect(try m.sliceColumns(1..<3).scalars == [2, 3, 5, 6])
    #expect(try Tensor.concatenateColumns([m, m.sliceColumns(0..<1)]).scalars == [1, 2, 3, 1, 4, 5, 6, 4])
    #expect(try m.gatherRows([1, 1, 0]).scalars == [4, 5, 6, 4, 5, 6, 1, 2, 3])
    #expect(throws: TensorError.indexOutOfRange(op: "gatherRows", index: 2, extent: 2)) { try m.gatherRows([2]) }
    #expect(throws: TensorError.invalidAxis(op: "sum", axis: 2, shape: [2, 3])) { try m.sum(alongAxis: 2) }
    #expect(try m.transposed().scalars == [1, 4, 2, 5, 3, 6])
}

@Test func activationsAreStableAtExtremes() {
    let x = try! Tensor(shape: [4], scalars: [-200, -20, 20, 200])
    let softplus = x.applying(.softplus).scalars
    #expect(softplus.allSatisfy { $0.isFinite })
    #expect(softplus[3] == 200 && softplus[0] >= 0)
    let sigmoid = x.applying(.sigmoid).scalars
    #expect(sigmoid[0] == 0 && sigmoid[3] == 1 && sigmoid.allSatisfy { $0.isFinite })
}
