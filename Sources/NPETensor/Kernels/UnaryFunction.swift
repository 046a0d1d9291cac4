import Foundation

/// The elementwise functions the engine differentiates. Each case has its forward map here and its derivative
/// in ``Gradients`` (the one place all backward rules live).
public enum UnaryFunction: Sendable, Equatable {
    case relu
    /// ELU(x) = x for x > 0, α(eˣ − 1) otherwise (Clevert et al. 2016).
    case elu(alpha: Float)
    /// LeakyReLU(x) = x for x > 0, s·x otherwise.
    case leakyRelu(slope: Float)
    /// GELU(x) = x Φ(x), the exact (erf) form (Hendrycks & Gimpel 2016).
    case gelu
    case tanh
    /// σ(x) = 1 / (1 + e⁻ˣ), computed without overflow for large |x|.
    case sigmoid
    /// softplus(x) = log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|) to stay finite.
    case softplus
    case exp
    case log
    case square
    case sqrt
    case negate
    /// Multiplication by a constant.
    case scale(Float)
    /// Addition of a constant.
    case shift(Float)

    var name: String {
        switch self {
        case .relu: return "relu"
        case .elu: return "elu"
        case .leakyRelu: return "leakyRelu"
        case .gelu: return "gelu"
        case .tanh: return "tanh"
        case .sigmoid: return "sigmoid"
        case .softplus: return "softplus"
        case .exp: return "exp"
        case .log: return "log"
        case .square: return "square"
        case .sqrt: return "sqrt"
        case .negate: return "negate"
        case .scale: return "scale"
        case .shift: return "shift"
        }
    }

    /// Applies the function to every element of `input`.
    func apply(_ input: Tensor) -> Tensor {
        let count = input.count
        let out = [Float](unsafeUninitializedCapacity: count) { o, initialized in
            input.scalars.withUnsafeBufferPointer { x in
                switch self {
                case .relu: for i in 0..<count { o[i] = max(x[i], 0) }
                case let .elu(alpha): for i in 0..<count { o[i] = x[i] > 0 ? x[i] : alpha * expm1f(x[i]) }
                case let .leakyRelu(slope): for i in 0..<count { o[i] = x[i] > 0 ? x[i] : slope * x[i] }
                case .gelu: for i in 0..<count { o[i] = 0.5 * x[i] * (1 + erff(x[i] * 0.70710678118654752)) }
                case .tanh: for i in 0..<count { o[i] = tanhf(x[i]) }
                case .sigmoid: for i in 0..<count { o[i] = UnaryFunction.sigmoid(x[i]) }
                case .softplus: for i in 0..<count { o[i] = UnaryFunction.softplus(x[i]) }
                case .exp: for i in 0..<count { o[i] = expf(x[i]) }
                case .log: for i in 0..<count { o[i] = logf(x[i]) }
                case .square: for i in 0..<count { o[i] = x[i] * x[i] }
                case .sqrt: for i in 0..<count { o[i] = x[i].squareRoot() }
                case .negate: for i in 0..<count { o[i] = -x[i] }
                case let .scale(s): for i in 0..<count { o[i] = s * x[i] }
                case let .shift(s): for i in 0..<count { o[i] = x[i] + s }
                }
            }
            initialized = count
        }
        return Tensor(unchecked: input.shape, scalars: out)
    }

    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + expf(-x)) }
        let e = expf(x)
        return e / (1 + e)
    }

    @inline(__always)
    static func softplus(_ x: Float) -> Float { max(x, 0) + log1pf(expf(-abs(x))) }
}
