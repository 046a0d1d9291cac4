/// What a FlexARE registry entry is, as stored in its card's `architecture` (format version 1): the role, the bin
/// count, the fitted ``SpectrumScaling`` and the network settings of its role.
public struct FlexAREArchitecture: Codable, Equatable, Sendable {
    /// The two pre-processing networks.
    public enum Role: String, Codable, Sendable, CaseIterable {
        /// Noisy spectrum → clean spectrum.
        case denoiser
        /// Spectrum with missing bins → complete spectrum.
        case imputer

        /// The registry card's kind.
        public var cardKind: String { "flexare-\(rawValue)" }
    }

    public var formatVersion = 1
    public var role: Role
    public var binCount: Int
    public var scaling: SpectrumScaling
    /// The settings of ``role``; the other is nil.
    public var denoiser: FlexAREConfiguration.Denoiser?
    public var imputer: FlexAREConfiguration.Imputer?

    public init(role: Role, scaling: SpectrumScaling, configuration: FlexAREConfiguration) {
        self.role = role
        binCount = scaling.binCount
        self.scaling = scaling
        denoiser = role == .denoiser ? configuration.denoiser : nil
        imputer = role == .imputer ? configuration.imputer : nil
    }
}
