/// The element types a weights file can hold, spelled as safetensors spells them.
public enum TensorDType: String, Sendable, CaseIterable {
    case float32 = "F32"
    case float64 = "F64"
    case int64 = "I64"

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .float32: return 4
        case .float64, .int64: return 8
        }
    }
}

/// One named array of a weights file: a shape and its elements in row-major (C) order.
///
/// The registry stores plain values and does not depend on the tensor engine; `npe-train` and `npe-infer` convert
/// to and from their own tensors. The element count always equals the product of `shape` (an empty shape is a
/// scalar with one element); the initialisers check it.
public struct TensorBlob: Equatable, Sendable {
    /// The elements, typed.
    public enum Values: Equatable, Sendable {
        case float32([Float])
        case float64([Double])
        case int64([Int64])

        /// Number of elements.
        public var count: Int {
            switch self {
            case .float32(let values): return values.count
            case .float64(let values): return values.count
            case .int64(let values): return values.count
            }
        }

        /// The safetensors element type.
        public var dtype: TensorDType {
            switch self {
            case .float32: return .float32
            case .float64: return .float64
            case .int64: return .int64
            }
        }
    }

    /// Extent of each axis, outermost first.
    public let shape: [Int]
    /// The elements, row-major.
    public let values: Values

    /// Creates a blob, checking that `values` holds exactly `shape.reduce(1, *)` elements.
    ///
    /// - Throws: ``TensorBlobError`` when an extent is negative or the count does not match the shape.
    public init(shape: [Int], values: Values) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorBlobError(reason: "negative extent in shape \(shape)") }
        let (expected, overflow) = shape.reduce((1, false)) { partial, extent in
            let product = partial.0.multipliedReportingOverflow(by: extent)
            return (product.partialValue, partial.1 || product.overflow)
        }
        guard !overflow else { throw TensorBlobError(reason: "shape \(shape) has too many elements") }
        guard expected == values.count else {
            throw TensorBlobError(reason: "shape \(shape) needs \(expected) elements, got \(values.count)")
        }
        self.shape = shape
        self.values = values
    }

    /// Creates a Float32 blob (the common case: network weights).
    public init(shape: [Int], floats: [Float]) throws {
        try self.init(shape: shape, values: .float32(floats))
    }

    /// The elements when they are Float32, else `nil`.
    public var floats: [Float]? {
        if case .float32(let values) = values { return values }
        return nil
    }

    /// The element type.
    public var dtype: TensorDType { values.dtype }

    /// Number of elements.
    public var elementCount: Int { values.count }

    /// Size of the raw little-endian data in bytes.
    public var byteCount: Int { values.count * dtype.byteCount }
}

/// A tensor's shape and element count disagree.
public struct TensorBlobError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { "invalid tensor: \(reason)" }
}

/// Named tensors plus free-form string metadata: the content of one safetensors file.
public struct NamedTensors: Equatable, Sendable {
    /// Tensors by name. Names are arbitrary non-empty strings except the reserved `__metadata__`.
    public var tensors: [String: TensorBlob]
    /// The safetensors `__metadata__` map (string to string only, as the format requires).
    public var metadata: [String: String]

    public init(tensors: [String: TensorBlob] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor called `name`, if present.
    public subscript(name: String) -> TensorBlob? {
        get { tensors[name] }
        set { tensors[name] = newValue }
    }
}
