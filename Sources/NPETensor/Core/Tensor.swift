import Foundation

/// A dense, row-major Float32 array with a shape.
///
/// `Tensor` is a value type: copies share storage until one of them is written (copy-on-write through
/// `[Float]`). Rank 0 is a scalar (`shape == []`). The engine's networks work on matrices `[rows, features]`,
/// where rows are the batch; a few ops also take rank 1 and rank 3.
///
/// Ops that combine shapes throw ``TensorError`` naming the op and both shapes; nothing broadcasts silently
/// beyond the documented NumPy rules (see ``Tensor/broadcastShape(_:_:op:)``).
public struct Tensor: Sendable, Equatable {
    /// The extent of each axis, outermost first.
    public let shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public internal(set) var scalars: [Float]

    /// Wraps `scalars` in `shape`; throws when the counts disagree.
    public init(shape: [Int], scalars: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorError.invalidShape(shape, op: "init") }
        let count = shape.reduce(1, *)
        guard count == scalars.count else {
            throw TensorError.elementCountMismatch(shape: shape, count: scalars.count, op: "init")
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// Internal non-throwing init for kernels that construct consistent shapes by design.
    init(unchecked shape: [Int], scalars: [Float]) {
        assert(shape.reduce(1, *) == scalars.count, "kernel built an inconsistent tensor")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of `shape` with every element `value`.
    public init(repeating value: Float, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.init(unchecked: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A zero tensor of `shape`.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

    /// A rank-0 tensor.
    public init(scalar: Float) { self.init(unchecked: [], scalars: [scalar]) }

    /// A rank-2 tensor from rows of equal length.
    public init(rows: [[Float]]) throws {
        let columns = rows.first?.count ?? 0
        for (index, row) in rows.enumerated() where row.count != columns {
            throw TensorError.raggedRows(row: index, expected: columns, got: row.count)
        }
        self.init(unchecked: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// The number of elements.
    @inlinable public var count: Int { scalars.count }
    /// The number of axes.
    @inlinable public var rank: Int { shape.count }

    /// Rows of a rank-2 tensor (the batch axis).
    public var rowCount: Int { shape.first ?? 1 }
    /// Columns of a rank-2 tensor (the feature axis): the last extent.
    public var columnCount: Int { shape.last ?? 1 }

    /// The single element of a one-element tensor.
    public var scalarValue: Float {
        precondition(scalars.count == 1, "scalarValue of a tensor of shape \(shape)")
        return scalars[0]
    }

    /// The same elements viewed with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        guard newShape.allSatisfy({ $0 >= 0 }), newShape.reduce(1, *) == count else {
            throw TensorError.shapeMismatch(op: "reshape", lhs: shape, rhs: newShape)
        }
        return Tensor(unchecked: newShape, scalars: scalars)
    }

    /// Element access for rank-2 tensors; for tests and small bookkeeping, not for kernels.
    public subscript(row: Int, column: Int) -> Float {
        get { scalars[row * columnCount + column] }
        set { scalars[row * columnCount + column] = newValue }
    }

    /// Element `index` in row-major order (any rank).
    public subscript(scalarAt index: Int) -> Float {
        get { scalars[index] }
        set { scalars[index] = newValue }
    }

    /// Mutable access to the elements in place (the count cannot change).
    public mutating func withUnsafeMutableScalars<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// Whether any element is NaN or infinite.
    public var hasNonFinite: Bool { scalars.contains { !$0.isFinite } }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = scalars.prefix(8).map { String(format: "%.4g", Double($0)) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(count > 8 ? ", ..." : "")])"
    }
}
