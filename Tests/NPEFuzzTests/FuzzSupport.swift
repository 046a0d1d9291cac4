import Foundation
import PropertyBased

/// How many inputs each fuzz property tries. The suite default keeps every property to about a second; a longer
/// run by hand: `EXONPE_FUZZ_CASES=20000 swift test … --filter NPEFuzzTests`.
enum FuzzBudget {
    static var cases: Int {
        ProcessInfo.processInfo.environment["EXONPE_FUZZ_CASES"].flatMap(Int.init) ?? 300
    }
}

/// One random edit of a valid input: the inputs that reach deep into a parser are near-valid ones, so each
/// property mutates a well-formed seed rather than only drawing noise.
struct Mutation: Sendable, CustomStringConvertible {
    enum Kind: Int, Sendable, CaseIterable { case flip, set, truncate, insert, delete, duplicate }
    var kind: Kind
    /// A position, reduced modulo the input length.
    var position: Int
    /// A byte value, bit index or length, by kind.
    var value: UInt8

    var description: String { "\(kind) at \(position) (\(value))" }

    /// The mutated bytes (never traps, whatever the input length).
    func apply(to bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        guard !out.isEmpty else { return kind == .insert ? [value] : out }
        let at = position % out.count
        switch kind {
        case .flip: out[at] ^= 1 << (value % 8)
        case .set: out[at] = value
        case .truncate: out.removeSubrange(at...)
        case .insert: out.insert(value, at: at)
        case .delete: out.removeSubrange(at..<min(out.count, at + 1 + Int(value % 16)))
        case .duplicate: out.insert(contentsOf: out[at..<min(out.count, at + 1 + Int(value % 16))], at: at)
        }
        return out
    }
}

/// Mutations over inputs of up to `length` bytes.
func mutations(upTo length: Int, count: ClosedRange<Int> = 1...3) -> Generator<[Mutation], some SendableSequenceType> {
    zip(Gen<Int>.value(in: 0...(Mutation.Kind.allCases.count - 1)), Gen<Int>.value(in: 0...max(length - 1, 0)),
        Gen<UInt8>.value(in: 0...255))
        .map { kind, position, value in Mutation(kind: Mutation.Kind(rawValue: kind)!, position: position, value: value) }
        .array(of: count)
}

extension Array where Element == Mutation {
    func apply(to bytes: [UInt8]) -> [UInt8] { reduce(bytes) { $1.apply(to: $0) } }
}

/// Counts executions across a property, for the report (printed once per property).
final class ExecutionTally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func add(_ outcome: String) { lock.withLock { counts[outcome, default: 0] += 1 } }
    var summary: String { lock.withLock { counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") } }
}
