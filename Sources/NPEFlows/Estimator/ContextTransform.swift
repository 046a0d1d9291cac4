import Foundation

/// How an auxiliary context input (a per-target quantity known exactly, such as the planet mass or the stellar
/// radius) is mapped before standardisation.
///
/// Context priors that span decades (log-uniform, log-normal) are fed as log values, so that the network sees them
/// on the scale they were drawn on. Unlike θ, context is not mapped through a support bijection: a real target may
/// sit slightly outside the training box, and inference should flag that (by z-score), not fail on a logit of a
/// value outside (0, 1).
public enum ContextTransform: String, Codable, Equatable, Sendable, CaseIterable {
    /// The value itself.
    case identity
    /// log(value); the value must be positive.
    case log

    /// The mapped value, or nil when the value is outside this transform's domain.
    public func apply(_ value: Float) -> Float? {
        guard value.isFinite else { return nil }
        switch self {
        case .identity: return value
        case .log: return value > 0 ? Foundation.log(value) : nil
        }
    }
}
