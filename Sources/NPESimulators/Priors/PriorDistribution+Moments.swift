import Foundation

extension PriorDistribution {
    /// E[x], e.g. for standardising theta columns before a flow.
    ///
    /// uniform (a + b)/2; log-uniform (b − a)/ln(b/a); normal μ; log-normal exp(μ + σ²/2); fixed the value.
    public var mean: Double {
        switch self {
        case let .uniform(low, high): return 0.5 * (low + high)
        case let .logUniform(low, high): return (high - low) / log(high / low)
        case let .normal(mean, _): return mean
        case let .logNormal(mu, sigma): return exp(mu + 0.5 * sigma * sigma)
        case let .fixed(value): return value
        }
    }

    /// Var[x]: uniform (b − a)²/12; log-uniform (b² − a²)/(2 ln(b/a)) − mean²; normal σ²;
    /// log-normal (e^{σ²} − 1) e^{2μ + σ²}; fixed 0.
    public var variance: Double {
        switch self {
        case let .uniform(low, high): return (high - low) * (high - low) / 12
        case let .logUniform(low, high):
            let m = mean
            return (high * high - low * low) / (2 * log(high / low)) - m * m
        case let .normal(_, standardDeviation): return standardDeviation * standardDeviation
        case let .logNormal(mu, sigma): return expm1(sigma * sigma) * exp(2 * mu + sigma * sigma)
        case .fixed: return 0
        }
    }
}
