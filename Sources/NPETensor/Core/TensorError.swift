/// Errors raised by tensor ops. Each names the op and the shapes involved, so a user can tell which layer of
/// which network was given what.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    /// Two operands whose shapes are incompatible for `op`.
    case shapeMismatch(op: String, lhs: [Int], rhs: [Int])
    /// A shape with a negative extent.
    case invalidShape([Int], op: String)
    /// `count` elements cannot fill `shape`.
    case elementCountMismatch(shape: [Int], count: Int, op: String)
    /// Rows of different lengths given to a rank-2 initializer.
    case raggedRows(row: Int, expected: Int, got: Int)
    /// An axis outside `0..<rank`.
    case invalidAxis(op: String, axis: Int, shape: [Int])
    /// An op that needs a given rank received another.
    case rankMismatch(op: String, expected: Int, shape: [Int])
    /// An index outside its range (gather, slice).
    case indexOutOfRange(op: String, index: Int, extent: Int)
    /// A NaN or infinity appeared in an op's output while ``NumericChecks`` are on.
    case nonFinite(op: String, shape: [Int])
    /// `backward()` was called on a tensor that does not depend on any trainable variable, or is not a scalar.
    case notDifferentiable(String)

    public var description: String {
        switch self {
        case let .shapeMismatch(op, lhs, rhs): return "\(op): incompatible shapes \(lhs) and \(rhs)"
        case let .invalidShape(shape, op): return "\(op): invalid shape \(shape)"
        case let .elementCountMismatch(shape, count, op): return "\(op): \(count) elements cannot fill shape \(shape)"
        case let .raggedRows(row, expected, got): return "row \(row) has \(got) columns, expected \(expected)"
        case let .invalidAxis(op, axis, shape): return "\(op): axis \(axis) is out of range for shape \(shape)"
        case let .rankMismatch(op, expected, shape): return "\(op): expected rank \(expected), got shape \(shape)"
        case let .indexOutOfRange(op, index, extent): return "\(op): index \(index) out of range 0..<\(extent)"
        case let .nonFinite(op, shape): return "\(op): produced NaN or infinity (output shape \(shape))"
        case let .notDifferentiable(why): return "backward: \(why)"
        }
    }
}
