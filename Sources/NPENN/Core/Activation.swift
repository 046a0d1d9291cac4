import NPETensor

/// The hidden-layer nonlinearities a network description can name (Codable, so architectures round-trip).
public enum Activation: String, Codable, Sendable, CaseIterable {
    case relu, elu, gelu, tanh, sigmoid, softplus, leakyRelu
    case identity

    /// Applies the activation.
    public func callAsFunction(_ x: Variable) throws -> Variable {
        switch self {
        case .relu: return try x.relu()
        case .elu: return try x.elu()
        case .gelu: return try x.gelu()
        case .tanh: return try x.tanh()
        case .sigmoid: return try x.sigmoid()
        case .softplus: return try x.softplus()
        case .leakyRelu: return try x.apply(.leakyRelu(slope: 0.2))
        case .identity: return x
        }
    }
}
